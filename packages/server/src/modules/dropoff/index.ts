// The drop-off module's public surface: other modules import from here, never from its files.
export { dropoffRoutes } from './plugin.ts';
export { deleteExpiredSessions } from './sessions.ts';
// A person's unfinished drop-offs by address, when their service account is erased (privacy).
export { deleteSessionsFrom } from './store.ts';
