import { messages } from '@amtsbote/web';

/** Notices after the e-mail step of a first identity-service sign-in; merged in http/context.ts. */
export const oidcEmailNotices: Record<string, { kind: 'success' | 'info'; de: string; en: string }> = {
  'oidc-account-created': {
    kind: 'success',
    de: messages('de').oidcEmail.noticeCreated,
    en: messages('en').oidcEmail.noticeCreated,
  },
  'oidc-identity-linked': {
    kind: 'success',
    de: messages('de').oidcEmail.noticeLinked,
    en: messages('en').oidcEmail.noticeLinked,
  },
};
