// The vocabulary that the server and the pages share. Neither imports the other's domain for it:
// both import this package, which imports nothing of either.

export type { Locale } from './locale.ts';
export { defaultLocale, fromAcceptLanguage, locales, negotiateLocale, toLocale } from './locale.ts';
export type { FileTypeId, FileTypeInfo } from './file-types.ts';
export * from './file-types.ts';
export { paths, transferPaths, recipientPaths, adminStaffPath } from './paths/portal.ts';
export { accountPaths, organisationPaths } from './paths/accounts.ts';
export { accountTokenPaths } from './paths/account-tokens.ts';
export { oidcEmailPaths } from './paths/oidc-email.ts';
export { inboundPaths } from './paths/inbound.ts';
export { privacyPaths } from './paths/privacy.ts';
export { routePathTable } from './paths/table.ts';
