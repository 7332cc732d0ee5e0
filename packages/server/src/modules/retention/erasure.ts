import type { ErasureStep } from '../privacy/index.ts';
import { deleteNoticesOf } from './store.ts';

/**
 * The retention module's part of erasing a service account or an organisation: its pending
 * deletion notices go with it. Privacy cannot call this module (it comes later), so every
 * erasure is handed these steps explicitly: app.ts for the request paths (privacyRoutes), this
 * module for its own inactivity sweeps and for the admin's requests it registers.
 */
export const retentionErasureSteps: readonly ErasureStep[] = [deleteNoticesOf];
