import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { BlobNotFoundError, BlobRangeError, BlobSizeMismatchError, InvalidBlobKeyError } from './errors.ts';
import type { BlobStore } from './types.ts';

/** What a contract run needs from one implementation. */
export interface BlobStoreSubject {
  store: BlobStore;
  /**
   * Names of partial writes left behind anywhere in the store (temp files, unfinished multipart
   * uploads), when the implementation can tell; omitted where it can't be observed.
   */
  leftovers?: () => Promise<string[]>;
  /** Runs after `store.close()`, e.g. to remove a temp dir. */
  cleanup?: () => Promise<void>;
}

export interface BlobStoreContractOptions {
  /** Bytes for the bounded-memory test (default 256 MiB). */
  largeBytes?: number;
  /** Allowed growth of the resident set during that test (default 160 MiB). */
  maxRssGrowth?: number;
  /**
   * Known shortcomings of a test server (not of the adapter), each with the reason, which the
   * contract then checks more weakly. Never set these for a production implementation.
   */
  serverQuirks?: {
    /** `list` does not come in byte order of the keys: only the set of entries is compared. */
    unorderedList?: string;
    /** Concurrent puts to one key may interleave: only that the put calls succeed is checked. */
    racyOverwrites?: string;
  };
}

const MiB = 1024 * 1024;

/** `n` pseudo-random bytes in chunks of varying size (so part boundaries fall mid-chunk). */
export async function* randomChunks(n: number, seed = 1): AsyncGenerator<Uint8Array> {
  let left = n;
  let i = seed;
  while (left > 0) {
    const size = Math.min(left, 1 + ((i * 7919) % (256 * 1024)));
    i++;
    left -= size;
    yield randomBytes(size);
    await Promise.resolve();
  }
}

/** Records the SHA-256 of everything that passes through. */
function hashing(source: AsyncIterable<Uint8Array>): {
  chunks: AsyncGenerator<Uint8Array>;
  digest(): string;
} {
  const hash = createHash('sha256');
  return {
    chunks: (async function* () {
      for await (const c of source) {
        hash.update(c);
        yield c;
      }
    })(),
    digest: () => hash.digest('hex'),
  };
}

async function sha256Of(stream: Readable): Promise<{ hex: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { hex: hash.digest('hex'), size };
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Uint8Array>) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Yields `bytes` of data, then fails with `error`. */
async function* failingAfter(bytes: number, error: Error): AsyncGenerator<Uint8Array> {
  yield* randomChunks(bytes);
  throw error;
}

/**
 * Registers the blob store contract as node:test cases: every BlobStore implementation must pass
 * it. `open` is called once; the cases share the store and keep to key prefixes of their own.
 */
export function blobStoreContract(
  name: string,
  open: () => Promise<BlobStoreSubject>,
  options: BlobStoreContractOptions = {},
): void {
  const largeBytes = options.largeBytes ?? 256 * MiB;
  const maxRssGrowth = options.maxRssGrowth ?? 160 * MiB;
  const quirks = options.serverQuirks ?? {};

  void describe(`BlobStore contract: ${name}`, () => {
    let subject: BlobStoreSubject;
    let store: BlobStore;
    let n = 0;
    /** A key prefix no other case uses. */
    const ns = () => `contract/c${String(++n).padStart(3, '0')}`;

    before(async () => {
      subject = await open();
      store = subject.store;
    });
    after(async () => {
      await store.close();
      await subject.cleanup?.();
    });

    async function assertNothingVisible(key: string, prefix: string) {
      assert.equal(await store.stat(key), undefined, 'stat sees no blob');
      await assert.rejects(store.get(key), BlobNotFoundError);
      assert.deepEqual(await collect(store.list(prefix)), [], 'list shows nothing');
      if (subject.leftovers !== undefined)
        assert.deepEqual(await subject.leftovers(), [], 'no partial writes left');
    }

    void it('pings', async () => {
      await store.ping();
    });

    void it('rejects malformed keys in every method, before touching the source', async () => {
      const bad = [
        '',
        '/abs',
        'a/',
        'a//b',
        'Upper',
        '../escape',
        'a/../../b',
        'a/./b',
        '.hidden',
        'a/.tmp',
        'a..b',
        'a b',
        'ümlaut',
        'a\\b',
        'a\0b',
        '-dash',
        'x'.repeat(600),
        `a/${'y'.repeat(201)}`,
      ];
      let pulled = false;
      const source = (async function* () {
        pulled = true;
        await Promise.resolve();
        yield new Uint8Array(1);
      })();
      for (const key of bad) {
        await assert.rejects(store.put(key, source), InvalidBlobKeyError, `put ${JSON.stringify(key)}`);
        await assert.rejects(store.get(key), InvalidBlobKeyError, `get ${JSON.stringify(key)}`);
        await assert.rejects(store.stat(key), InvalidBlobKeyError, `stat ${JSON.stringify(key)}`);
        await assert.rejects(store.delete(key), InvalidBlobKeyError, `delete ${JSON.stringify(key)}`);
      }
      assert.equal(pulled, false, 'the source was not read');
      for (const prefix of ['/', '/a', 'a//', '../', 'A/', 'a/../']) {
        await assert.rejects(
          collect(store.list(prefix)),
          InvalidBlobKeyError,
          `list ${JSON.stringify(prefix)}`,
        );
      }
    });

    void it('accepts well-formed keys', async () => {
      const p = ns();
      for (const key of [`${p}/a`, `${p}/0/1/2`, `${p}/a-b_c.d/e.f`, `${p}/0123456789abcdef-x_y`]) {
        assert.deepEqual(await store.put(key, Readable.from([Buffer.from(key)])), { size: key.length });
        assert.equal((await bytesOf(await store.get(key))).toString(), key);
      }
    });

    void it('round-trips an empty blob', async () => {
      const key = `${ns()}/empty`;
      assert.deepEqual(await store.put(key, Readable.from([])), { size: 0 });
      assert.equal((await store.stat(key))?.size, 0);
      assert.equal((await bytesOf(await store.get(key))).length, 0);
    });

    void it('round-trips a small blob from an async generator', async () => {
      const key = `${ns()}/small`;
      const text = Buffer.from('Grüße aus dem Amt\n', 'utf8');
      const before = Date.now();
      assert.deepEqual(
        await store.put(
          key,
          (async function* () {
            yield text.subarray(0, 3);
            await Promise.resolve();
            yield text.subarray(3);
          })(),
        ),
        { size: text.length },
      );
      assert.deepEqual(await bytesOf(await store.get(key)), text);
      const info = await store.stat(key);
      assert.equal(info?.size, text.length);
      assert.ok(info.modifiedAt instanceof Date);
      // Loose: S3 has second precision and its clock is not ours.
      assert.ok(
        Math.abs(info.modifiedAt.getTime() - before) < 5 * 60_000,
        `modifiedAt ${info.modifiedAt.toISOString()}`,
      );
    });

    void it('round-trips multi-MiB streamed data (Readable source), byte for byte', async () => {
      const key = `${ns()}/multi`;
      const size = 12 * MiB + 321;
      const h = hashing(randomChunks(size, 3));
      assert.deepEqual(await store.put(key, Readable.from(h.chunks)), { size });
      const back = await sha256Of(await store.get(key));
      assert.equal(back.size, size);
      assert.equal(back.hex, h.digest());
      assert.equal((await store.stat(key))?.size, size);
    });

    void it('round-trips one chunk larger than several parts', async () => {
      const key = `${ns()}/onechunk`;
      const data = randomBytes(12 * MiB + 5);
      assert.deepEqual(await store.put(key, Readable.from([data])), { size: data.length });
      const back = await sha256Of(await store.get(key));
      assert.equal(back.hex, createHash('sha256').update(data).digest('hex'));
    });

    void it('reads ranges: first byte, middle, last byte, open-ended, clamped end', async () => {
      const key = `${ns()}/ranged`;
      const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31 + 7) % 256));
      await store.put(key, Readable.from([data]));
      const read = async (start: number, end?: number) => bytesOf(await store.get(key, { start, end }));
      assert.deepEqual(await read(0, 0), data.subarray(0, 1));
      assert.deepEqual(await read(100, 199), data.subarray(100, 200));
      assert.deepEqual(await read(999, 999), data.subarray(999));
      assert.deepEqual(await read(990), data.subarray(990));
      assert.deepEqual(await read(0), data);
      assert.deepEqual(await read(995, 5000), data.subarray(995));
    });

    void it('rejects ranges past the end with BlobRangeError and non-ranges with RangeError', async () => {
      const p = ns();
      await store.put(`${p}/ten`, Readable.from([Buffer.alloc(10, 1)]));
      await store.put(`${p}/empty`, Readable.from([]));
      await assert.rejects(store.get(`${p}/ten`, { start: 10 }), BlobRangeError);
      await assert.rejects(store.get(`${p}/ten`, { start: 20, end: 30 }), BlobRangeError);
      await assert.rejects(store.get(`${p}/empty`, { start: 0 }), BlobRangeError);
      await assert.rejects(store.get(`${p}/ten`, { start: -1 }), RangeError);
      await assert.rejects(store.get(`${p}/ten`, { start: 5, end: 4 }), RangeError);
      await assert.rejects(store.get(`${p}/ten`, { start: 1.5 }), RangeError);
      await assert.rejects(store.get(`${p}/missing`, { start: 0 }), BlobNotFoundError);
    });

    void it('reports a missing key: get throws BlobNotFoundError, stat is undefined, delete succeeds', async () => {
      const key = `${ns()}/nothing/here`;
      await assert.rejects(
        store.get(key),
        (err: unknown) => err instanceof BlobNotFoundError && err.key === key,
      );
      assert.equal(await store.stat(key), undefined);
      await store.delete(key);
    });

    void it('overwrites a blob whole, larger by smaller', async () => {
      const key = `${ns()}/over`;
      await store.put(key, randomChunks(6 * MiB));
      await store.put(key, Readable.from([Buffer.from('kurz')]));
      assert.equal((await bytesOf(await store.get(key))).toString(), 'kurz');
      assert.equal((await store.stat(key))?.size, 4);
    });

    void it('deletes idempotently', async () => {
      const p = ns();
      const key = `${p}/gone`;
      await store.put(key, Readable.from([Buffer.from('x')]));
      await store.delete(key);
      await store.delete(key);
      assert.equal(await store.stat(key), undefined);
      await assert.rejects(store.get(key), BlobNotFoundError);
      assert.deepEqual(await collect(store.list(`${p}/`)), []);
      // The key is usable again.
      await store.put(key, Readable.from([Buffer.from('y')]));
      assert.equal((await store.stat(key))?.size, 1);
    });

    void it('lists by prefix in key order with sizes, segment-wise and partial', async (t) => {
      const p = ns();
      const blobs: Record<string, number> = {
        'p/a': 3,
        'p/b/c': 5,
        'p/b/d': 0,
        'p/b.x': 2,
        'p/bx': 1,
        'q/a': 2,
        pz: 4,
      };
      for (const [k, size] of Object.entries(blobs))
        await store.put(`${p}/${k}`, Readable.from([Buffer.alloc(size, 9)]));
      const listed = async (prefix: string) => {
        const entries = (await collect(store.list(`${p}/${prefix}`))).map((e): [string, number] => {
          assert.ok(e.modifiedAt instanceof Date);
          return [e.key.slice(p.length + 1), e.size];
        });
        return quirks.unorderedList === undefined
          ? entries
          : entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      };
      if (quirks.unorderedList !== undefined) t.diagnostic(`order not checked: ${quirks.unorderedList}`);
      assert.deepEqual(await listed('p/'), [
        ['p/a', 3],
        ['p/b.x', 2],
        ['p/b/c', 5],
        ['p/b/d', 0],
        ['p/bx', 1],
      ]);
      assert.deepEqual(await listed('p/b'), [
        ['p/b.x', 2],
        ['p/b/c', 5],
        ['p/b/d', 0],
        ['p/bx', 1],
      ]);
      assert.deepEqual(await listed('p/b/'), [
        ['p/b/c', 5],
        ['p/b/d', 0],
      ]);
      assert.deepEqual(await listed('p'), [
        ['p/a', 3],
        ['p/b.x', 2],
        ['p/b/c', 5],
        ['p/b/d', 0],
        ['p/bx', 1],
        ['pz', 4],
      ]);
      assert.deepEqual(await listed('p/a'), [['p/a', 3]]);
      assert.deepEqual(await listed('nothing/'), []);
      assert.equal((await collect(store.list(''))).filter((e) => e.key.startsWith(`${p}/`)).length, 7);
    });

    void it('leaves nothing visible when the source fails midway (multipart size)', async () => {
      const p = ns();
      const boom = new Error('source broke');
      await assert.rejects(store.put(`${p}/broken`, failingAfter(11 * MiB, boom)), (err) => err === boom);
      await assertNothingVisible(`${p}/broken`, `${p}/`);
    });

    void it('leaves nothing visible when the source fails at once', async () => {
      const p = ns();
      const boom = new Error('no data at all');
      await assert.rejects(store.put(`${p}/broken`, failingAfter(0, boom)), (err) => err === boom);
      await assertNothingVisible(`${p}/broken`, `${p}/`);
    });

    void it('keeps the old blob when an overwrite fails', async () => {
      const p = ns();
      await store.put(`${p}/keep`, Readable.from([Buffer.from('original')]));
      await assert.rejects(
        store.put(`${p}/keep`, failingAfter(7 * MiB, new Error('late failure'))),
        /late failure/,
      );
      assert.equal((await bytesOf(await store.get(`${p}/keep`))).toString(), 'original');
      if (subject.leftovers !== undefined) assert.deepEqual(await subject.leftovers(), []);
    });

    void it('rejects chunks that are not bytes, leaving nothing', async () => {
      const p = ns();
      await assert.rejects(store.put(`${p}/text`, Readable.from(['a string'])), TypeError);
      await assertNothingVisible(`${p}/text`, `${p}/`);
    });

    void it('stops with an AbortError when the signal aborts, leaving nothing', async () => {
      const p = ns();
      const ac = new AbortController();
      let sent = 0;
      const slow = (async function* () {
        for (;;) {
          yield randomBytes(256 * 1024);
          sent += 256 * 1024;
          if (sent === 8 * MiB) ac.abort();
          await new Promise((r) => setImmediate(r));
        }
      })();
      await assert.rejects(store.put(`${p}/aborted`, slow, { signal: ac.signal }), { name: 'AbortError' });
      await assertNothingVisible(`${p}/aborted`, `${p}/`);
      // A signal aborted before the call: rejected at once.
      await assert.rejects(
        store.put(`${p}/aborted`, Readable.from([Buffer.from('x')]), { signal: AbortSignal.abort() }),
        {
          name: 'AbortError',
        },
      );
      await assertNothingVisible(`${p}/aborted`, `${p}/`);
    });

    void it('aborts even while the source is stalled', async () => {
      const p = ns();
      const ac = new AbortController();
      const stalled = (async function* () {
        yield Buffer.from('some');
        await new Promise<never>(() => undefined);
      })();
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(store.put(`${p}/stalled`, stalled, { signal: ac.signal }), { name: 'AbortError' });
      await assertNothingVisible(`${p}/stalled`, `${p}/`);
    });

    void it('enforces expectedSize both ways, leaving nothing', async () => {
      const p = ns();
      assert.deepEqual(await store.put(`${p}/exact`, randomChunks(1000), { expectedSize: 1000 }), {
        size: 1000,
      });
      await assert.rejects(
        store.put(`${p}/more`, randomChunks(6 * MiB), { expectedSize: 1000 }),
        BlobSizeMismatchError,
      );
      await assert.rejects(
        store.put(`${p}/less`, randomChunks(999), { expectedSize: 1000 }),
        BlobSizeMismatchError,
      );
      await assert.rejects(store.put(`${p}/neg`, randomChunks(1), { expectedSize: -1 }), RangeError);
      assert.deepEqual(
        (await collect(store.list(`${p}/`))).map((e) => e.key),
        [`${p}/exact`],
      );
      if (subject.leftovers !== undefined) assert.deepEqual(await subject.leftovers(), []);
    });

    void it('takes concurrent puts to different keys', async () => {
      const p = ns();
      const sizes = [0, 1, 1000, 300 * 1024, 2 * MiB, 6 * MiB + 1, 77, 4096];
      const digests = await Promise.all(
        sizes.map(async (size, i) => {
          const h = hashing(randomChunks(size, i + 10));
          await store.put(`${p}/k${i}`, h.chunks);
          return h.digest();
        }),
      );
      for (const [i, size] of sizes.entries()) {
        const back = await sha256Of(await store.get(`${p}/k${i}`));
        assert.equal(back.size, size);
        assert.equal(back.hex, digests[i]);
      }
    });

    void it('lets exactly one of concurrent puts to one key win, whole', async (t) => {
      const key = `${ns()}/contended`;
      const versions = [1, 2, 3, 4].map((v) => Buffer.alloc(MiB + v, v));
      await Promise.all(
        versions.map((data) => store.put(key, Readable.from([data.subarray(0, 1000), data.subarray(1000)]))),
      );
      if (quirks.racyOverwrites !== undefined) {
        t.diagnostic(`result not checked: ${quirks.racyOverwrites}`);
        return;
      }
      const back = await bytesOf(await store.get(key));
      assert.ok(
        versions.some((v) => v.equals(back)),
        'the blob is one complete version',
      );
    });

    void it(`streams ${largeBytes / MiB} MiB with bounded memory`, async (t) => {
      const key = `${ns()}/large`;
      const baseline = process.memoryUsage.rss();
      let peak = baseline;
      const hash = createHash('sha256');
      const source = (async function* () {
        for (let sent = 0; sent < largeBytes; sent += MiB) {
          const chunk = Buffer.alloc(MiB, sent / MiB);
          hash.update(chunk);
          peak = Math.max(peak, process.memoryUsage.rss());
          await Promise.resolve();
          yield chunk;
        }
      })();
      assert.deepEqual(await store.put(key, source), { size: largeBytes });
      assert.ok(
        peak - baseline < maxRssGrowth,
        `rss grew by ${Math.round((peak - baseline) / MiB)} MiB while putting`,
      );
      const reading = await store.get(key);
      const readHash = createHash('sha256');
      let size = 0;
      for await (const chunk of reading as AsyncIterable<Uint8Array>) {
        readHash.update(chunk);
        size += chunk.byteLength;
        peak = Math.max(peak, process.memoryUsage.rss());
      }
      t.diagnostic(`rss grew by at most ${Math.round((peak - baseline) / MiB)} MiB`);
      assert.equal(size, largeBytes);
      assert.equal(readHash.digest('hex'), hash.digest('hex'));
      assert.ok(
        peak - baseline < maxRssGrowth,
        `rss grew by ${Math.round((peak - baseline) / MiB)} MiB while reading`,
      );
      await store.delete(key);
    });
  });
}
