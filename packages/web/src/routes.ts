import { accountPostOnly, organisationPostOnlyChildren } from './account-routes.ts';
import { privacyPostOnly } from './privacy-paths.ts';

/**
 * Every path the pages link to or post to, in one place: the server registers these routes,
 * the pages must not drift from them.
 */
export const paths = {
  start: '/',
  easyLanguage: '/leichte-sprache',
  privacy: '/datenschutz',
  imprint: '/impressum',
  accessibility: '/barrierefreiheit',
  accessibilityFeedback: '/accessibility/feedback',
  apiDocs: '/api/docs',
  openApi: '/api/openapi.json',
  login: '/login',
  loginLink: '/login/link',
  loginLinkConfirm: '/login/link/confirm',
  logout: '/logout',
  logoutAll: '/logout/all',
  staffHome: '/home',
  admin: '/admin',
  adminDepartments: '/admin/departments',
  adminInvitations: '/admin/staff/invitations',
  invitationAccept: '/invitations/accept',
  postbox: '/transfers',
  compose: '/transfers/new',
  apiTransfers: '/api/v1/transfers',
} as const;

const seg = encodeURIComponent;

/** A staff member's view of one transfer, and what it links and posts to. */
export const transferPaths = {
  page: (id: string): string => `/transfers/${seg(id)}`,
  file: (id: string, fileId: string): string => `/api/v1/transfers/${seg(id)}/files/${seg(fileId)}`,
  zip: (id: string): string => `/api/v1/transfers/${seg(id)}/zip`,
  revoke: (id: string): string => `/transfers/${seg(id)}/revoke`,
  extend: (id: string): string => `/transfers/${seg(id)}/extend`,
  send: (id: string): string => `/api/v1/transfers/${seg(id)}/send`,
};

/** A recipient's pages under their link `/t/<token>`. */
export const recipientPaths = {
  page: (token: string): string => `/t/${seg(token)}`,
  file: (token: string, fileId: string): string => `/t/${seg(token)}/files/${seg(fileId)}`,
  zip: (token: string): string => `/t/${seg(token)}/zip`,
  code: (token: string): string => `/t/${seg(token)}/code`,
  verify: (token: string): string => `/t/${seg(token)}/verify`,
  replies: (token: string): string => `/t/${seg(token)}/replies`,
  sendReply: (token: string, id: string): string => `/t/${seg(token)}/replies/${seg(id)}/send`,
};

/** The form action for one staff member's row on the admin page. */
export function adminStaffPath(staffId: string): string {
  return `/admin/staff/${encodeURIComponent(staffId)}`;
}

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
