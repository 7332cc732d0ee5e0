// The postbox module's public surface: other modules import from here, never from its files.

// Routes (app.ts) and the malware scan job (app.ts, serve.ts).
export { postboxRoutes } from './routes.ts';
export { organisationPostboxRoutes } from './organisation-routes.ts';
export type { ScanRound } from './scan.ts';
export { kickScan, scanPendingOnce, settleScans, startScanJob } from './scan.ts';

// The departments that take incoming transfers, and their keys (levels 3/4).
export type { InboundDepartment } from './departments.ts';
export {
  departmentStaffEmails,
  getInboundDepartment,
  listInboundDepartments,
  memberDepartmentIds,
  updateDropoffSettings,
} from './departments.ts';
export type { DepartmentKey } from './keys.ts';
export { currentDepartmentKey } from './keys.ts';

// What the tenant accepts from outside (drop-off, upload links).
export type { InboundPolicy } from './policy.ts';
export { DEFAULT_INBOUND_POLICY, inboundPolicy, typesFor } from './policy.ts';

// Incoming transfers: drafts, their files' types, delivery into the postbox.
export type { Guest, InboundDraftInput, InboundTarget, Submitted } from './inbound.ts';
export { checkInboundDraft, createInboundDraft, discardDraft, isEnvelope, submitInbound } from './inbound.ts';
export { checkStoredFile, FileTypeError, HEAD_BYTES, judgeHead, peekBody } from './file-check.ts';
export { inboundErrorHandler } from './errors.ts';
export { inboundNumber } from './number.ts';
