import { DAY, HOUR, MINUTE } from '../adapters/clock.ts';
import { FilesystemBlobStore } from '../adapters/blobstore/filesystem.ts';
import type { AppDeps } from '../deps.ts';
import type { RetentionJobDeps, RetentionRegistry } from '../modules/retention/index.ts';
import { retentionRegistry, sweepOrphanBlobs } from '../modules/retention/index.ts';
import { aggregateDailyStats } from '../modules/stats/index.ts';
import { drainBlobQueue } from '../modules/transfers/index.ts';
import { deleteFinishedJobsBefore } from './records.ts';
import { JobRunner } from './runner.ts';

export type JobDeps = Pick<
  AppDeps,
  'db' | 'blobs' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'logger'
>;

/**
 * Every scheduled job of the portal on one runner: each retention rule's job, plus the blob
 * deletion queue, the orphan sweep, stale temp files and the daily statistics. Every node builds
 * the same runner; the jobs table makes each slot run once.
 */
export function createJobRunner(
  deps: JobDeps,
  opts: { registry?: RetentionRegistry; node?: string } = {},
): JobRunner {
  const runner = new JobRunner(deps, opts.node === undefined ? {} : { node: opts.node });
  const registry = opts.registry ?? retentionRegistry;
  const retentionDeps: RetentionJobDeps = {
    ...deps,
    jobRecords: { deleteFinishedBefore: (cutoff) => deleteFinishedJobsBefore(deps.db, cutoff) },
  };
  for (const job of registry.jobs) {
    runner.define({ name: job.name, handler: (ctx) => job.run(retentionDeps, ctx.now) });
    runner.schedule({ job: job.name, everyMs: job.everyMs });
  }
  runner.define({ name: 'blobs.drain', handler: async () => ({ deleted: await drainBlobQueue(deps) }) });
  runner.schedule({ job: 'blobs.drain', everyMs: MINUTE });
  runner.define({
    name: 'blobs.orphans',
    handler: (ctx) => sweepOrphanBlobs(deps, ctx.now, deps.config.orphanGraceMs),
  });
  runner.schedule({ job: 'blobs.orphans', everyMs: HOUR });
  if (deps.blobs instanceof FilesystemBlobStore) {
    const store = deps.blobs;
    runner.define({
      name: 'blobs.temp-files',
      handler: async (ctx) => ({
        removed: await store.removeStaleTempFiles(new Date(ctx.now.getTime() - DAY)),
      }),
    });
    runner.schedule({ job: 'blobs.temp-files', everyMs: 6 * HOUR });
  }
  runner.define({ name: 'stats.daily', handler: (ctx) => aggregateDailyStats(deps, ctx.now) });
  runner.schedule({ job: 'stats.daily', everyMs: 15 * MINUTE });
  return runner;
}

/** Starts the runner for a serving node (every 5 seconds); stop() finishes the job in hand. */
export function startJobs(deps: JobDeps): { runner: JobRunner; stop(): Promise<void> } {
  const runner = createJobRunner(deps);
  runner.start(5000);
  return { runner, stop: () => runner.stop() };
}
