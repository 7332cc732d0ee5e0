// The audit module's public surface: other modules import from here, never from its files.
export type { ActorKind } from './store.ts';
export { recordAudit } from './store.ts';
// For the privacy module's data export and the retention module's audit rule.
export { deleteAuditEventsBefore, exportAuditEventsAbout } from './store.ts';
