// The accounts module's public surface: other modules import from here, never from its files.
export type { Account, AccountOverview } from './service.ts';
export {
  accountForVerifiedEmail,
  accountOverview,
  findAccountByEmail,
  getAccount,
  hasFirstFactor,
} from './service.ts';
export { accountRoutes, allowIdentityServiceForms } from './plugin.ts';
export type { AccountHomePage } from './routes/home-forms.ts';
export { accountHomeFormRoutes } from './routes/home-forms.ts';
export { accountTokenRoutes } from './routes/tokens.ts';
export { oidcEmailRoutes } from './routes/oidc-email.ts';
export type { ReentryProblem } from './reauth.ts';
export { freshlyConfirmed, passwordReentryProblem } from './reauth.ts';
export { authenticateAccountToken, isAccountTokenShaped } from './services/tokens.ts';
export { deleteAccountRow, deleteWebauthnChallengesOf, lockAccountForErasure } from './store/erasure.ts';
export { accountLocale } from './store/locale.ts';
// For other modules' tests (they sign citizens in with a second factor, or wait out an identity).
export { OIDC_EMAIL_LIFETIME_MS } from './services/oidc-email.ts';
export { beginTotpSetup, confirmTotpSetup, currentTotpCode } from './services/totp.ts';
// For the privacy module's data export.
export { exportAccessTokens, exportIdentities, exportPasskeys, exportProfile } from './store/export.ts';
// For the retention module's sign-in sweep.
export {
  deleteExpiredAccountLinks,
  deleteExpiredAccountTokens,
  deleteExpiredLoginChallenges,
  deleteExpiredOidcPendingIdentities,
  deleteExpiredWebauthnChallenges,
} from './store/expiry.ts';
// For the keys module: a fresh proof before replacing a personal key.
export { recentlyProven } from './reauth.ts';
