// The privacy module's public surface: other modules import from here, never from its files.
export { accessLogDir, accessLogFileName, registerAccessLog } from './access-log.ts';
export type { PrivacyAdminForms, RetentionOverview } from './admin-page.ts';
export { sendPrivacyAdminPage } from './admin-page.ts';
export type { AccountDeletionReason } from './erase.ts';
export { eraseOrganisation, eraseServiceAccount } from './erase.ts';
export type { ErasureStep } from './erasure-steps.ts';
export { privacyAdminRoutes } from './routes/admin.ts';
export { privacyRoutes } from './routes.ts';
