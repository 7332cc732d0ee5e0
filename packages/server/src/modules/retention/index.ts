// The retention module's public surface: other modules import from here, never from its files.
export { retentionErasureSteps } from './erasure.ts';
export { publicRetention } from './notice.ts';
export type {
  JobRecords,
  RetentionDeps,
  RetentionEntry,
  RetentionJob,
  RetentionJobDeps,
  RetentionRule,
} from './registry.ts';
export { RetentionRegistry, rowsOlderThanRule } from './registry.ts';
export { retentionRoutes } from './routes.ts';
export { defaultRetentionRegistry, retentionRegistry } from './rules.ts';
export { sweepOrphanBlobs } from './orphans.ts';
export { findMarkers } from './scan.ts';
