import type { Queryable } from '../../adapters/db/index.ts';

/**
 * What a later module keeps about a person or organisation that has to go when they are erased,
 * inside the erasure's transaction (e.g. the retention module's pending deletion notices).
 */
export type ErasureStep = (q: Queryable, tenantId: string, subjectId: string) => Promise<void>;

/**
 * The later modules' erasure steps, handed to every erasure by its caller. The module order lets
 * privacy call only earlier modules, so the later ones' parts come in as a parameter: app.ts
 * passes them to the request paths (privacyRoutes), the retention module passes its own to its
 * inactivity sweeps and to the admin's requests it registers. A required parameter rather than a
 * registry filled at import time, so no process can erase without them just because it did not
 * happen to import the module that registers them.
 */
export interface LaterErasure {
  alsoErase: readonly ErasureStep[];
}

/** Runs the given steps for one erased subject, in order. */
export async function runErasureSteps(
  steps: readonly ErasureStep[],
  q: Queryable,
  tenantId: string,
  subjectId: string,
): Promise<void> {
  for (const step of steps) await step(q, tenantId, subjectId);
}
