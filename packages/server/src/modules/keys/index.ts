// The keys module's public surface: other modules import from here, never from its files.
export type { OwnReplyEnvelope, ReplyEnvelopeInput, ReplyKeys, ReplyOwner } from './replies.ts';
export { ownReplyEnvelope, replyKeys, requireReplyKeys, sealReply, storeReplyEnvelopes } from './replies.ts';
export { keyRoutes } from './routes/index.ts';
export type { RecipientEnvelopeState } from './envelopes.ts';
export { recipientEnvelope, sealEndToEnd } from './envelopes.ts';
export type { KeyOwner } from './service.ts';
export { storePersonalKey } from './service.ts';

// Used by the department postbox: whether a member holds a personal key.
export { currentPersonalKey } from './service.ts';
