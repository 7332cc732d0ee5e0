// The public face of @amtsbote/web: the layout, every page, and the types the server fills.
// Assets (CSS, fonts, islands) are a separate entry point: '@amtsbote/web/assets'.

export type { Html, Interpolation } from './html.ts';
export { html, escapeHtml, trustedHtml, isHtml, safeHref } from './html.ts';
export type { FieldError, FormState, Page, PageContext } from './types.ts';
export type { MailMessages, Messages, NoticeKey, NoticeKind, NoticeMessages } from './i18n/index.ts';
export { isNoticeKey, mailMessages, messages, noticeKinds, noticeMessages } from './i18n/index.ts';
export type { CodeMailParts, LinkMailParts, MailBody } from './mails/layout.ts';
export { codeMail, linkMail, textMail } from './mails/layout.ts';
export { renderPage } from './layout.ts';

export { startPage } from './pages/start.ts';
export { leichteSprachePage } from './pages/easy-language.ts';
export { loginPage, loginLinkConfirmPage } from './pages/login.ts';
export { acceptInvitationPage, MIN_PASSWORD_LENGTH } from './pages/invitation.ts';
export { staffHomePage } from './pages/home.ts';
export type { AdminDepartment, AdminPageInput, AdminStaffMember } from './pages/admin.ts';
export { adminPage } from './pages/admin.ts';
export type { TenantLegalSettings } from './pages/legal-settings.ts';
export { defaultLegalSettings, resolveLegalSettings } from './pages/legal-settings.ts';
export { privacyPage } from './pages/privacy.ts';
export { imprintPage } from './pages/imprint.ts';
export { accessibilityPage } from './pages/accessibility.ts';
export { apiReferenceFromSpec } from './pages/api-reference.ts';
export { errorPage, notFoundPage } from './pages/errors.ts';

export type {
  PostboxEntry,
  RecipientDelivery,
  Transfer,
  TransferFile,
  TransferLimits,
  TransferStatus,
} from './pages/transfer-common.ts';
export { transferComposePage } from './pages/compose.ts';
export { postboxPage } from './pages/postbox.ts';
export type { TransferDetailInput } from './pages/transfer-detail.ts';
export { transferDetailPage } from './pages/transfer-detail.ts';
export type { RecipientTransferInput, RecipientVerifyInput } from './pages/recipient.ts';
export { recipientTransferPage, recipientVerifyPage } from './pages/recipient.ts';
export { e2eOpenSection, keysPage, MIN_KEY_PASSPHRASE } from './pages/keys.ts';
export type { DepartmentKeyPageInput } from './pages/dept-keys.ts';
export { departmentKeyPage } from './pages/dept-keys.ts';
export { formatBytes, formatDateTime, formatDay } from './format.ts';

// Service accounts and organisation accounts (issue 6).
export * from './pages/accounts.ts';
export * from './pages/organisations.ts';
export { organisationKeysPage } from './pages/org-keys.ts';
export * from './pages/account-tokens.ts';
export * from './pages/oidc-email.ts';

// Inbound: drop-off, upload links, the department postbox (pages and the file-type catalogue).
export * from './inbound/index.ts';

// Retention, deletion and data-subject rights (issue 7).
export type { PrivacyRetention } from './pages/privacy.ts';
export type { RetentionAdminInput, RetentionRow, StatsDay } from './pages/privacy-rights.ts';
export {
  keepOrganisationPage,
  myDataPage,
  retentionAdminPage,
  retentionField,
} from './pages/privacy-rights.ts';
