const seg = encodeURIComponent;

export const accountPaths = {
  home: '/account',
  register: '/account/register',
  registerVerify: '/account/register/verify',
  login: '/account/login',
  loginTotp: '/account/login/totp',
  forgot: '/account/password/forgot',
  reset: (token: string): string => `/account/password/reset/${seg(token)}`,
  resetSubmit: '/account/password/reset',
  password: '/account/password',
  profile: '/account/profile',
  email: '/account/email',
  emailVerify: '/account/email/verify',
  totp: '/account/totp',
  totpConfirm: '/account/totp/confirm',
  totpDisable: '/account/totp/disable',
  recoveryCodes: '/account/recovery-codes',
  passkeyDelete: (id: string): string => `/account/passkeys/${seg(id)}/delete`,
  identityDelete: (id: string): string => `/account/identities/${seg(id)}/delete`,
  sessions: '/account/sessions',
  sessionRevoke: (handle: string): string => `/account/sessions/${seg(handle)}/revoke`,
  sessionsRevokeOthers: '/account/sessions/revoke-others',
  confirm: '/account/confirm',
  delete: '/account/delete',
  oidcStart: '/auth/oidc/start',
  ssoStart: '/login/sso',
  apiPasskeyRegisterOptions: '/api/v1/account/passkeys/registration-options',
  apiPasskeyRegister: '/api/v1/account/passkeys',
  apiPasskeyLoginOptions: '/api/v1/account/passkeys/login-options',
  apiPasskeyLogin: '/api/v1/account/passkeys/login',
  apiPasskeyReauthOptions: '/api/v1/account/passkeys/reauth-options',
  apiPasskeyReauth: '/api/v1/account/passkeys/reauth',
} as const;

export const organisationPaths = {
  list: '/organisations',
  create: '/organisations/new',
  page: (id: string): string => `/organisations/${seg(id)}`,
  transfer: (id: string, transferId: string): string =>
    `/organisations/${seg(id)}/postbox/${seg(transferId)}`,
  file: (id: string, transferId: string, fileId: string): string =>
    `/organisations/${seg(id)}/postbox/${seg(transferId)}/files/${seg(fileId)}`,
  zip: (id: string, transferId: string): string => `/organisations/${seg(id)}/postbox/${seg(transferId)}/zip`,
  replies: (id: string, transferId: string): string =>
    `/api/v1/organisations/${seg(id)}/postbox/${seg(transferId)}/replies`,
  sendReply: (id: string, replyId: string): string =>
    `/api/v1/organisations/${seg(id)}/replies/${seg(replyId)}/send`,
  notice: (id: string, noticeId: string): string => `/organisations/${seg(id)}/notices/${seg(noticeId)}`,
  members: (id: string): string => `/organisations/${seg(id)}/members`,
  invite: (id: string): string => `/organisations/${seg(id)}/invitations`,
  invitationAction: (id: string, invitationId: string, action: 'confirm' | 'close'): string =>
    `/organisations/${seg(id)}/invitations/${seg(invitationId)}/${action}`,
  memberRole: (id: string, accountId: string): string =>
    `/organisations/${seg(id)}/members/${seg(accountId)}/role`,
  memberRevoke: (id: string, accountId: string): string =>
    `/organisations/${seg(id)}/members/${seg(accountId)}/revoke`,
  leave: (id: string): string => `/organisations/${seg(id)}/leave`,
  settings: (id: string): string => `/organisations/${seg(id)}/settings`,
  release: (id: string): string => `/organisations/${seg(id)}/release`,
  delete: (id: string): string => `/organisations/${seg(id)}/delete`,
  invitation: (token: string): string => `/organisations/invitations/${seg(token)}`,
  invitationAccept: '/organisations/invitations/accept',
} as const;
