import type { Readable } from 'node:stream';
import { paceGc } from './gc-pacer.ts';
// node:crypto, not WebCrypto: Node's WebCrypto copies every input and output and hops to its thread
// pool per chunk, which cost the server a third of its upload and download speed (bench/transfer.notes.md).
import { chunkRange, encryptStream, HEADER_LENGTH, openStream, TAG_LENGTH } from '@amtsbote/crypto/node';

/**
 * File content at rest uses the same stream format as end-to-end encryption (docs/crypto.md):
 * one specification, one implementation, random access by chunk for HTTP Range. Each stored
 * segment is one stream under the file's data key (each stream draws its own salt).
 * @param counted - told the length of every plaintext part as it is taken.
 */
export async function* encryptSegment(
  fileKey: Uint8Array,
  plaintext: AsyncIterable<Uint8Array>,
  counted: (bytes: number) => void = () => undefined,
): AsyncGenerator<Uint8Array> {
  const cipher = encryptStream(fileKey);
  const writer = cipher.writable.getWriter();
  const reader = cipher.readable.getReader();
  // Feeds the cipher while the caller drains it; the stream's queues bound what is in memory.
  const feeding = (async () => {
    try {
      for await (const part of plaintext) {
        counted(part.length);
        await writer.write(part);
      }
      await writer.close();
    } catch (err) {
      await writer.abort(err).catch(() => undefined);
    }
  })();
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      paceGc(next.value.length);
      yield next.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    await feeding;
  }
}

async function readExactly(stream: Readable, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let at = 0;
  for await (const part of stream as AsyncIterable<Buffer>) {
    const take = Math.min(part.length, length - at);
    out.set(part.subarray(0, take), at);
    at += take;
    if (at === length) break;
  }
  stream.destroy();
  if (at !== length) throw new Error('stored segment is shorter than its header');
  return out;
}

/**
 * Decrypts plaintext bytes [start, end] (inclusive) of one stored segment, fetching only the
 * chunks that hold them. Every chunk is authenticated before any of its bytes are released.
 * @param get - reads a byte range of the segment's blob (inclusive end).
 * @throws {DecryptionFailedError} from @amtsbote/crypto when the stored bytes were altered.
 */
export async function* decryptSegmentRange(
  fileKey: Uint8Array,
  segmentLength: number,
  get: (range: { start: number; end: number }) => Promise<Readable>,
  start: number,
  end: number,
): AsyncGenerator<Uint8Array> {
  const header = await readExactly(await get({ start: 0, end: HEADER_LENGTH - 1 }), HEADER_LENGTH);
  const stream = await openStream(fileKey, header);
  const chunkSize = stream.header.chunkSize;
  const range = chunkRange(start, end + 1, segmentLength, chunkSize);
  const stride = chunkSize + TAG_LENGTH;
  const source = await get({ start: range.ciphertextStart, end: range.ciphertextEnd - 1 });
  let index = range.firstChunk;
  let skip = range.skip;
  let left = range.length;
  // A chunk that straddles two reads is gathered here; whole chunks are decrypted where they lie.
  const assembly = new Uint8Array(stride);
  let filled = 0;
  const emit = async function* (chunk: Uint8Array): AsyncGenerator<Uint8Array> {
    let plain = await stream.decryptChunk(index, chunk);
    index += 1;
    if (skip > 0) {
      plain = plain.subarray(Math.min(skip, plain.length));
      skip = 0;
    }
    if (plain.length > left) plain = plain.subarray(0, left);
    left -= plain.length;
    paceGc(chunk.length);
    if (plain.length > 0) yield plain;
  };
  try {
    for await (const part of source as AsyncIterable<Buffer>) {
      let data: Uint8Array = part;
      while (data.length > 0) {
        if (filled === 0 && data.length >= stride) {
          yield* emit(data.subarray(0, stride));
          data = data.subarray(stride);
        } else {
          const piece = data.subarray(0, stride - filled);
          assembly.set(piece, filled);
          filled += piece.length;
          data = data.subarray(piece.length);
          if (filled < stride) continue;
          filled = 0;
          // The chunk is decrypted (and its plaintext a copy) before the buffer is reused.
          yield* emit(assembly);
        }
        if (left === 0) return;
      }
    }
    // The last chunk of a segment is shorter than a full stride.
    if (filled > 0 && left > 0) yield* emit(assembly.subarray(0, filled));
    if (left > 0) throw new Error('stored segment ended early');
  } finally {
    source.destroy();
  }
}
