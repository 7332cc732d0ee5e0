import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { DecryptionFailedError } from '@amtsbote/crypto';
import { decryptSegmentRange, encryptSegment } from './segment-cipher.ts';

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of it) parts.push(p);
  return Buffer.concat(parts);
}

async function* slices(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const reader = (blob: Buffer) => async (r: { start: number; end: number }) =>
  Readable.from([blob.subarray(r.start, r.end + 1)]);

describe('segments at rest', () => {
  const key = randomBytes(32);
  const MiB = 1024 * 1024;
  const plain = randomBytes(2 * MiB + 12345);

  it('decrypts any range of what it encrypted, whatever the input slicing', async () => {
    const blob = await collect(encryptSegment(key, slices(plain, 70_001)));
    assert.ok(!blob.includes(plain.subarray(1000, 1064)), 'no plaintext in the blob');
    const ranges: [number, number][] = [
      [0, plain.length - 1],
      [0, 0],
      [MiB - 1, MiB],
      [MiB, 2 * MiB - 1],
      [plain.length - 1, plain.length - 1],
      [123, 2 * MiB + 100],
    ];
    for (const [s, e] of ranges) {
      const got = await collect(decryptSegmentRange(key, plain.length, reader(blob), s, e));
      assert.ok(got.equals(plain.subarray(s, e + 1)), `range ${s}-${e}`);
    }
  });

  it('fails on a flipped bit with the one decryption error, before releasing that chunk', async () => {
    const blob = await collect(encryptSegment(key, slices(plain, MiB)));
    const bad = Buffer.from(blob);
    const at = 60 + MiB + 500;
    bad[at] = (bad[at] ?? 0) ^ 1;
    const out: Uint8Array[] = [];
    await assert.rejects(async () => {
      for await (const p of decryptSegmentRange(key, plain.length, reader(bad), 0, plain.length - 1))
        out.push(p);
    }, DecryptionFailedError);
    assert.equal(Buffer.concat(out).length, MiB, 'only the authentic first chunk was released');
  });
});
