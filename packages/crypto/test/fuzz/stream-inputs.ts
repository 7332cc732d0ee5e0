/**
 * Inputs of the stream fuzz cases: arbitrary streams (noise behind valid prefixes) and chunk-level edits
 * of a valid stream with parts of its twin (same key, same plaintext, another salt).
 */
import fc from 'fast-check';
import { HEADER_LENGTH, TAG_LENGTH } from '../../src/header.ts';
import { concatAll } from '../helpers.ts';

/** Random bytes, bytes behind a valid prefix, or a real header followed by random bytes. */
export function arbitraryStreams(header: Uint8Array): fc.Arbitrary<Uint8Array> {
  const noise = fc.uint8Array({ maxLength: 300, size: 'max' });
  const prefix = Uint8Array.of(0x41, 0x4d, 0x54, 0x42, 0x53, 0x01);
  return fc.oneof(
    noise,
    fc
      .tuple(fc.integer({ min: 0, max: 255 }), noise)
      .map(([log2, rest]) => concatAll([prefix, Uint8Array.of(log2), rest])),
    fc
      .tuple(fc.integer({ min: 6, max: 24 }), noise)
      .map(([log2, rest]) => concatAll([prefix, Uint8Array.of(log2), rest])),
    noise.map((rest) => concatAll([header, rest])),
  );
}

/** Splits an encrypted stream into its header and its chunks. */
function chunksOf(data: Uint8Array, chunkSize: number): { header: Uint8Array; chunks: Uint8Array[] } {
  const stride = chunkSize + TAG_LENGTH;
  const chunks: Uint8Array[] = [];
  for (let at = HEADER_LENGTH; at < data.length; at += stride) chunks.push(data.subarray(at, at + stride));
  return { header: data.subarray(0, HEADER_LENGTH), chunks };
}

export type ChunkOp =
  | { readonly kind: 'swap'; readonly i: number; readonly j: number }
  | { readonly kind: 'duplicate'; readonly i: number; readonly at: number }
  | { readonly kind: 'drop'; readonly i: number }
  | { readonly kind: 'splice'; readonly i: number }
  | { readonly kind: 'swapHeader' }
  | { readonly kind: 'append'; readonly i: number };

export const chunkOp: fc.Arbitrary<ChunkOp> = fc.oneof(
  fc.record({ kind: fc.constant('swap'), i: fc.nat(20), j: fc.nat(20) }),
  fc.record({ kind: fc.constant('duplicate'), i: fc.nat(20), at: fc.nat(20) }),
  fc.record({ kind: fc.constant('drop'), i: fc.nat(20) }),
  fc.record({ kind: fc.constant('splice'), i: fc.nat(20) }),
  fc.record({ kind: fc.constant('swapHeader') }),
  fc.record({ kind: fc.constant('append'), i: fc.nat(20) }),
);

/** Applies `op` to stream `a`, taking foreign parts from `b` (same key, same plaintext, other salt). */
export function applyChunkOp(a: Uint8Array, b: Uint8Array, chunkSize: number, op: ChunkOp): Uint8Array {
  const { header, chunks } = chunksOf(a, chunkSize);
  const other = chunksOf(b, chunkSize);
  const n = chunks.length;
  const pick = (i: number): number => i % n;
  const out = [...chunks];
  switch (op.kind) {
    case 'swap': {
      const [i, j] = [pick(op.i), pick(op.j)];
      [out[i], out[j]] = [chunks[j] ?? new Uint8Array(0), chunks[i] ?? new Uint8Array(0)];
      break;
    }
    case 'duplicate':
      out.splice(op.at % (n + 1), 0, chunks[pick(op.i)] ?? new Uint8Array(0));
      break;
    case 'drop':
      out.splice(pick(op.i), 1);
      break;
    case 'splice':
      out[pick(op.i)] = other.chunks[pick(op.i)] ?? new Uint8Array(0);
      break;
    case 'swapHeader':
      return concatAll([other.header, ...chunks]);
    case 'append':
      out.push(other.chunks[op.i % other.chunks.length] ?? new Uint8Array(0));
      break;
  }
  return concatAll([header, ...out]);
}
