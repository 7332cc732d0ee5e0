import { paths } from '@amtsbote/contracts';
import { accountPostOnly, organisationPostOnlyChildren } from './account-routes.ts';
import { privacyPostOnly } from './privacy-paths.ts';

// Form actions answer only POST. A page rendered in answer to one of them (a form with errors)
// must not offer a language link to that path: GET there is a 404. These map back to the page
// that shows the form.
const postOnly: readonly { path: string; page: string; prefix?: true }[] = [
  { path: paths.loginLink, page: paths.login },
  { path: paths.loginLinkConfirm, page: paths.login },
  { path: paths.logout, page: paths.start },
  { path: paths.logoutAll, page: paths.start },
  { path: '/admin/', page: paths.admin, prefix: true },
  { path: paths.accessibilityFeedback, page: paths.accessibility },
  // The invitation page needs its token, which must not travel in a language link.
  { path: paths.invitationAccept, page: paths.start },
];

// Form actions below a page of their own: the page is the path without the last segment.
const postOnlyChildren = [
  /^(\/t\/[^/]+)\/(?:code|verify)$/,
  /^(\/transfers\/[^/]+)\/(?:revoke|extend)$/,
  // Inbound (drop-off, upload links, postbox): form actions below their page.
  /^(\/inbound\/[^/]+)\/(?:verify|resend)$/,
  /^(\/u\/[^/]+)\/start$/,
  /^(\/dropoff)\/start$/,
  /^(\/inbox\/[^/]+)\/(?:state|assign)$/,
  /^(\/inbox\/settings)\/[^/]+$/,
  /^(\/upload-links\/[^/]+)\/close$/,
];

/** The path a language-switch link on this page should point to (same page, GET-able). */
export function pagePathFor(path: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) return paths.start;
  for (const re of [...postOnlyChildren, ...organisationPostOnlyChildren]) {
    const m = re.exec(path);
    if (m?.[1] !== undefined) return m[1];
  }
  const hit = [...postOnly, ...accountPostOnly, ...privacyPostOnly].find((p) =>
    p.prefix === true ? path.startsWith(p.path) : path === p.path,
  );
  return hit?.page ?? path;
}
