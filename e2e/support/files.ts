import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';

const CHUNK = 1024 * 1024;

/**
 * Writes `size` pseudo-random bytes, the same for the same seed (AES-128-CTR over zeros: fast,
 * deterministic, incompressible), one MiB at a time, and returns their SHA-256. Never holds more
 * than a chunk in memory, whatever the size.
 */
export async function writePseudoRandomFile(file: string, size: number, seed: string): Promise<string> {
  const key = createHash('sha256').update(`key:${seed}`).digest().subarray(0, 16);
  const iv = createHash('sha256').update(`iv:${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  const zeros = Buffer.alloc(CHUNK);
  for (let written = 0; written < size;) {
    const n = Math.min(CHUNK, size - written);
    const chunk = cipher.update(zeros.subarray(0, n));
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    written += n;
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

/** SHA-256 of a file or of a byte range of it (`end` inclusive), streamed. */
export async function sha256File(file: string, range?: { start: number; end: number }): Promise<string> {
  const hash = createHash('sha256');
  if (range !== undefined && range.end < range.start) return hash.digest('hex');
  for await (const chunk of createReadStream(file, range)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface ZipEntry {
  name: string;
  size: number;
  sha256: string;
}

/**
 * The entries of a stored (uncompressed) ZIP on disk, as the portal streams them: names and
 * sizes from the central directory (Zip64 followed), each entry's bytes hashed straight from
 * the file. Only the directory is read into memory, so a ZIP of any size is fine.
 */
export async function readStoredZipEntries(file: string): Promise<ZipEntry[]> {
  const fh = await open(file, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, position);
      return buf.subarray(0, bytesRead);
    };
    const tailStart = Math.max(0, fileSize - 65_557 - 76);
    const tail = await read(tailStart, fileSize - tailStart);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error(`${file}: no end of central directory`);
    let entries = tail.readUInt16LE(eocd + 10);
    let dirSize = tail.readUInt32LE(eocd + 12);
    let dirOffset = tail.readUInt32LE(eocd + 16);
    const z64 = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]), eocd);
    if (z64 >= 0) {
      entries = Number(tail.readBigUInt64LE(z64 + 32));
      dirSize = Number(tail.readBigUInt64LE(z64 + 40));
      dirOffset = Number(tail.readBigUInt64LE(z64 + 48));
    }
    const dir = await read(dirOffset, dirSize);
    const out: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < entries; i++) {
      if (dir.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
      const method = dir.readUInt16LE(p + 10);
      let size = dir.readUInt32LE(p + 20);
      const nameLen = dir.readUInt16LE(p + 28);
      const extraLen = dir.readUInt16LE(p + 30);
      const commentLen = dir.readUInt16LE(p + 32);
      let local = dir.readUInt32LE(p + 42);
      const uncompressed = dir.readUInt32LE(p + 24);
      const name = dir.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      // Zip64 extra field: the 64-bit values, in this order, for those set to 0xffffffff.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e < extraEnd) {
        const id = dir.readUInt16LE(e);
        const len = dir.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (uncompressed === 0xffffffff) q += 8;
          if (size === 0xffffffff) {
            size = Number(dir.readBigUInt64LE(q));
            q += 8;
          }
          if (local === 0xffffffff) local = Number(dir.readBigUInt64LE(q));
        }
        e += 4 + len;
      }
      if (method !== 0) throw new Error(`${file}: entry ${name} is compressed (method ${method})`);
      const header = await read(local, 30);
      if (header.readUInt32LE(0) !== 0x04034b50) throw new Error(`${file}: bad local header for ${name}`);
      const start = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      out.push({ name, size, sha256: await sha256File(file, { start, end: start + size - 1 }) });
      p = extraEnd + commentLen;
    }
    return out;
  } finally {
    await fh.close();
  }
}
