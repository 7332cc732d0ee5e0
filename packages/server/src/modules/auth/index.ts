// The auth module's public surface: other modules import from here, never from its files.
export { authRoutes, ssoAdminRoutes } from './routes.ts';
export type { AccountTokenPrincipal, SignedInAccount } from './request.ts';
export {
  accessRules,
  accountOf,
  pageViewerOf,
  registerAuthentication,
  SESSION_COOKIE,
  sessionOf,
  staffOf,
} from './request.ts';
// Readers for public routes whose caller may or may not be signed in (added by the accounts engineer).
export { sessionIfAny, signedInAccount } from './request.ts';
export { bindingSession, startAccountSession, startStaffSession } from './session-start.ts';
export { createSession, SESSION_MAX_MS } from './sessions.ts';
export { deleteExpiredSessions, deleteSession, deleteStaffSessions } from './store/sessions.ts';
export { createApiToken, hasTokenShape, mintBearerToken } from './api-tokens.ts';
export { deleteStaffApiTokens } from './store/api-tokens.ts';
export { issueLink } from './store/login-links.ts';
export type { Limit } from './store/rate-limits.ts';
export { codeLimits, issueCode, verifyCode } from './codes.ts';
export { checkPassword, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.ts';
export type { OidcIdentity } from './oidc.ts';
export { CALLBACK_PATH, finishOidc, isLoopbackHttp, startOidc, takeOidcState } from './oidc.ts';
export { getTenantSso, ssoProvider, staffForIdentity } from './sso.ts';
export { latestPendingCodeId } from './store/pending-codes.ts';
// Sessions of service accounts, for the accounts module's pages (added by the accounts engineer).
export type { AccountSessionRow } from './store/account-sessions.ts';
export {
  deleteAccountSessionByHandle,
  deleteAccountSessions,
  deleteOtherAccountSessions,
  listAccountSessions,
  markSessionReauthenticated,
} from './store/account-sessions.ts';
export { deleteEmailCodesFor, deleteOidcLoginsOf } from './store/erasure.ts';
// For the privacy module's data export.
export { exportSessionsOf } from './store/export.ts';
// For the retention module's sign-in sweep.
export {
  deleteExpiredApiTokens,
  deleteExpiredEmailCodes,
  deleteExpiredLoginLinks,
  deleteExpiredOidcLogins,
  deleteStaleRateLimits,
} from './store/expiry.ts';
// Atomic rate limits: take the slot first, in one statement (hardening: atomic, fair limits).
export type { DelayLimit } from './store/rate-limits.ts';
export { giveBackToken, takeToken, takeTokens, takeTurn } from './store/rate-limits.ts';
export type { PasswordLimits } from './limits.ts';
export { PASSWORD_DELAY, passwordCheckSucceeded, takePasswordCheck } from './limits.ts';
// For Retry-After on a refused limit (hardening: the last check-then-count limits atomic).
export { retryAfterSeconds } from './retry-after.ts';
