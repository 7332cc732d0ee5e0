const seg = encodeURIComponent;

export const privacyPaths = {
  /** The tenant admin: retention periods, usage statistics, requests from data subjects. */
  admin: '/admin/privacy',
  adminRetention: '/admin/privacy/retention',
  adminExport: '/admin/privacy/export',
  adminDelete: '/admin/privacy/delete',
  apiStatistics: '/api/v1/statistics',
  /** A service account's own data: export and deletion. */
  myData: '/account/data',
  myDataExport: '/account/data/export',
  /** The link in an organisation's deletion announcement. */
  keep: (token: string): string => `/retention/keep/${seg(token)}`,
} as const;
