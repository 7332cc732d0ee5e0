const seg = encodeURIComponent;

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
