import { accountPaths, organisationPaths } from '@amtsbote/contracts';
/**
 * Every path of the service-account and organisation pages (issue 6), in one place: the server
 * registers these routes, the pages link and post to them.
 */

/**
 * Form actions of these pages that answer only POST, mapped to the page that shows the form, so
 * the language switch on a page rendered in answer to one of them leads somewhere real.
 */
export const accountPostOnly: readonly { path: string; page: string; prefix?: true }[] = [
  { path: accountPaths.registerVerify, page: accountPaths.register },
  { path: accountPaths.loginTotp, page: accountPaths.login },
  { path: accountPaths.resetSubmit, page: accountPaths.forgot },
  { path: '/account/password', page: accountPaths.home },
  { path: accountPaths.profile, page: accountPaths.home },
  { path: accountPaths.email, page: accountPaths.home },
  { path: accountPaths.emailVerify, page: accountPaths.home },
  { path: accountPaths.totpConfirm, page: accountPaths.totp },
  { path: accountPaths.totpDisable, page: accountPaths.home },
  { path: accountPaths.recoveryCodes, page: accountPaths.home },
  { path: '/account/passkeys/', page: accountPaths.home, prefix: true },
  { path: '/account/identities/', page: accountPaths.home, prefix: true },
  { path: '/account/sessions/', page: accountPaths.sessions, prefix: true },
  { path: accountPaths.oidcStart, page: accountPaths.login },
  { path: accountPaths.ssoStart, page: '/login' },
  { path: organisationPaths.invitationAccept, page: organisationPaths.list },
];

/** Organisation form actions below `/organisations/<id>/…` lead back to the organisation's page. */
export const organisationPostOnlyChildren: readonly RegExp[] = [
  /^(\/organisations\/[^/]+)\/(?:invitations(?:\/[^/]+\/(?:confirm|close))?|members\/[^/]+\/(?:role|revoke)|leave|release)$/,
];
