const seg = encodeURIComponent;

export const accountTokenPaths = {
  list: '/account/tokens',
  revoke: (id: string): string => `/account/tokens/${seg(id)}/revoke`,
} as const;
