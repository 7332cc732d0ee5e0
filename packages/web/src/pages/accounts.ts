// The service account's own pages: register, sign in (password, second step, passkey, identity
// service), password reset, settings, authenticator app, recovery codes, sessions, confirming
// it is you, and deleting the account. Plus the staff single sign-on settings. One file per
// group of pages in account/; this file keeps the names where they have always been.

export type { AccountHomeInput } from './account/home.ts';
export { accountHomePage } from './account/home.ts';
export { qrCode } from './account/shared.ts';
export type { SessionRow } from './account/security.ts';
export {
  confirmIdentityPage,
  deleteAccountPage,
  deviceName,
  recoveryCodesPage,
  sessionsPage,
  totpSetupPage,
} from './account/security.ts';
export type { LoginPageInput, RegisterPageInput } from './account/signin.ts';
export {
  accountForgotPage,
  accountLoginPage,
  accountRegisterPage,
  accountResetPage,
  accountTotpPage,
} from './account/signin.ts';
export type { SsoSettingsInput } from './account/staff-sso.ts';
export { staffSsoButton, staffSsoPage } from './account/staff-sso.ts';
