// English for e2e-reply.de.ts: the same keys.
import type { E2eReplyMessages } from './e2e-reply.de.ts';

export const e2eReplyEn: E2eReplyMessages = {
  intro3:
    'Your reply goes at level 3, like this message: your files are encrypted here in your browser before they are uploaded. Only the sender and you can open them. We do not check them for malware.',
  intro4:
    'Your reply goes at level 4, like this message: text, files and file names are encrypted here in your browser. Only the sender and you can open them. The subject stays readable: do not write anything confidential there.',
  orgIntro3:
    'The reply goes at level 3, like this message: the files are encrypted here in your browser before they are uploaded. Only the sender and the members of your organisation can open them. We do not check them for malware.',
  orgIntro4:
    'The reply goes at level 4, like this message: text, files and file names are encrypted here in your browser. Only the sender and the members of your organisation can open them. The subject stays readable: do not write anything confidential there.',
  noOrganisationKey:
    'Your organisation has no key yet, so an end-to-end encrypted reply is not possible. You can reply at level 2.',
  fallback: 'Reply at level 2 (not end-to-end encrypted)',
  fallbackHint:
    'Our server then reads your reply while storing it and encrypts it itself. Only the sender can open it after signing in.',
  noAddresseeKey:
    'The sender has no personal key at the moment, for example because it was replaced. An end-to-end encrypted reply is therefore not possible right now. You can reply at level 2.',
  noOwnKey: 'For an end-to-end encrypted reply you need a personal key. Create it on the “Key” page.',
  encrypting: 'Your reply is being encrypted …',
  threadEncrypted: 'End-to-end encrypted. Only someone with a matching key sees the content.',
};
