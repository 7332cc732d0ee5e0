// The keys module's public surface: other modules import from here, never from its files.
export { keyRoutes } from './routes/index.ts';
export type { KeyOwner } from './service.ts';
export { storePersonalKey } from './service.ts';

// Used by the transfers module's end-to-end envelopes (transfers/services/*envelopes.ts, rewraps.ts).
export { b64, decodeEnvelope, sharesDepartmentOutboxes } from './service.ts';
export { memberDepartmentKeys } from './store.ts';
export { keyReadyMail } from './mails.ts';

// Used by the department postbox: whether a member holds a personal key.
export { currentPersonalKey } from './service.ts';
