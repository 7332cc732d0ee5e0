export const oidcEmailPaths = {
  page: '/auth/oidc/email',
} as const;
