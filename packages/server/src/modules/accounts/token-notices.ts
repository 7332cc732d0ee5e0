import { messages } from '@amtsbote/web';

/** The notice after revoking a personal API token; merged into the portal's list in http/context.ts. */
export const accountTokenNotices: Record<string, { kind: 'success' | 'info'; de: string; en: string }> = {
  'account-token-revoked': {
    kind: 'success',
    de: messages('de').accountTokens.revoked,
    en: messages('en').accountTokens.revoked,
  },
};
