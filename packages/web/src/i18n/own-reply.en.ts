// English for own-reply.de.ts: the same keys.
import type { OwnReplyMessages } from './own-reply.de.ts';

export const ownReplyEn: OwnReplyMessages = {
  intro: 'End-to-end encrypted. You can open your reply again here in your browser with your personal key.',
  open: 'Open your reply',
  opened: 'Your reply is decrypted.',
  otherKey:
    'This reply was encrypted for an earlier personal key of yours, which you have since replaced. It can no longer be opened.',
  filesCaption: 'Files of your reply (end-to-end encrypted)',
  orgOpen: 'Open this reply',
};
