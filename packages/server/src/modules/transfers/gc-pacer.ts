import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Asks V8 for a young-generation collection (a scavenge, about a millisecond) after every
 * `PACE_BYTES` of file content the portal moved.
 *
 * Why: Node gives every socket read, file read and cipher output its own ArrayBuffer, and V8 frees
 * an ArrayBuffer's memory only when a collection finds it dead. Moving file content allocates little
 * else, so the young generation rarely fills up and no scavenge runs; instead V8 waits until 64 MiB
 * of buffers piled up outside its heap and then runs a full mark-compact over the whole heap (the
 * portal's ~40 MB of code and state) — every ~20 MiB of content. Measured on a 256 MiB upload and
 * download (--trace-gc): 19 and 17 mark-compacts without pacing, which took half the CPU (perf:
 * 55–60 % in V8's marker and sweeper) and held throughput to 0.05 GB/s; with pacing, scavenges
 * only. 4 MiB rather than 16 MiB: on 1 GiB up and down, peak RSS 229 instead of 286 MiB and no
 * slower (0.48 / 0.64 GB/s against 0.37 / 0.53), ~500 scavenges of about a millisecond each
 * (bench/transfer.notes.md). Shrinking the young generation instead (--max-semi-space-size=1 or 4)
 * promotes the buffers and brings the mark-compacts back (134–235 per GiB).
 */
export const PACE_BYTES = 4 * 1024 * 1024;

type Collect = (options: { type: 'minor'; execution: 'async' }) => void;

let collect: Collect | null | undefined;
let moved = 0;

function collector(): Collect | null {
  if (collect === undefined) {
    try {
      // The documented way to reach V8's collector without starting Node with --expose-gc: the
      // flag installs `gc` in contexts created after it is set.
      setFlagsFromString('--expose-gc');
      const fn: unknown = runInNewContext('gc');
      collect = typeof fn === 'function' ? (fn as Collect) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** Counts `bytes` of file content moved; every `PACE_BYTES` starts a scavenge (asynchronously). */
export function paceGc(bytes: number): void {
  moved += bytes;
  if (moved < PACE_BYTES) return;
  moved = 0;
  collector()?.({ type: 'minor', execution: 'async' });
}
