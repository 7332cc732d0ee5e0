import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../config.ts';
import { FilesystemBlobStore } from './filesystem.ts';
import { assertBlobPrefix } from './keys.ts';
// s3.ts (and with it the AWS SDK, ~30 MiB of a process's memory) is loaded only when BLOB_STORE
// names S3.
import type { S3BlobStoreOptions } from './s3.ts';
import { MIN_PART_SIZE } from './s3-limits.ts';
import type { BlobStore } from './types.ts';

export type { BlobListEntry, BlobRange, BlobSource, BlobStat, BlobStore, PutOptions } from './types.ts';
export {
  BlobNotFoundError,
  BlobRangeError,
  BlobSizeMismatchError,
  BlobStorageFullError,
  InvalidBlobKeyError,
} from './errors.ts';
export { assertBlobKey, isBlobKey } from './keys.ts';
export { FilesystemBlobStore } from './filesystem.ts';

export type BlobStoreSpec =
  { kind: 'filesystem'; root: string } | { kind: 's3'; options: S3BlobStoreOptions };

const S3_PARAMS = ['endpoint', 'region', 'forcePathStyle', 'partSizeMiB', 'queueSize'] as const;

/**
 * What BLOB_STORE names, checked but not opened:
 * - absent: files under `DATA_DIR/blobs`;
 * - `file:///absolute/path`: files there;
 * - `s3://[ACCESS_KEY_ID:SECRET@]bucket[/key/prefix/][?endpoint=URL&region=R&forcePathStyle=true|false&partSizeMiB=N&queueSize=N]`.
 *   Without userinfo the AWS SDK's default chain finds credentials (AWS_ACCESS_KEY_ID and
 *   AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity, instance role). forcePathStyle defaults to
 *   true when an endpoint is given, region to AWS_REGION or `us-east-1`.
 * @throws {ConfigError} naming every problem.
 */
export function parseBlobStoreUrl(url: string | undefined, dataDir: string): BlobStoreSpec {
  if (url === undefined || url.trim() === '')
    return { kind: 'filesystem', root: path.join(dataDir, 'blobs') };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(['BLOB_STORE is not a valid URL']);
  }
  if (u.protocol === 'file:') {
    if ((u.host !== '' && u.host !== 'localhost') || u.search !== '') {
      throw new ConfigError(['BLOB_STORE must be file:///absolute/path (no host, no parameters)']);
    }
    return { kind: 'filesystem', root: fileURLToPath(u) };
  }
  if (u.protocol !== 's3:')
    throw new ConfigError([`BLOB_STORE must start with s3:// or file://, got "${u.protocol}//…"`]);

  const problems: string[] = [];
  const bucket = u.hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.push(
      `BLOB_STORE names no valid bucket ("${bucket}"): 3–63 lower-case letters, digits, dots, hyphens`,
    );
  }
  if (u.port !== '')
    problems.push('BLOB_STORE: put the S3 server and its port in ?endpoint=, not after the bucket');
  let prefix = decodeURIComponent(u.pathname.replace(/^\/+/, ''));
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  try {
    assertBlobPrefix(prefix);
  } catch {
    problems.push(`BLOB_STORE: the key prefix "${prefix}" must be lower-case segments of a-z 0-9 _ . -`);
  }
  for (const name of new Set(u.searchParams.keys())) {
    if (!(S3_PARAMS as readonly string[]).includes(name)) {
      problems.push(`BLOB_STORE: unknown parameter "${name}" (known: ${S3_PARAMS.join(', ')})`);
    }
  }
  const param = (name: (typeof S3_PARAMS)[number]) => {
    const v = u.searchParams.get(name)?.trim();
    return v === undefined || v === '' ? undefined : v;
  };

  const endpoint = param('endpoint');
  if (endpoint !== undefined) {
    try {
      const e = new URL(endpoint);
      if (e.protocol !== 'http:' && e.protocol !== 'https:')
        problems.push('BLOB_STORE: endpoint must be an http:// or https:// URL');
    } catch {
      problems.push('BLOB_STORE: endpoint is not a valid URL');
    }
  }
  const bool = (name: 'forcePathStyle', fallback: boolean): boolean => {
    const v = param(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    problems.push(`BLOB_STORE: ${name} must be true or false, got "${v}"`);
    return fallback;
  };
  const int = (name: 'partSizeMiB' | 'queueSize', min: number, max: number): number | undefined => {
    const v = param(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`BLOB_STORE: ${name} must be a whole number from ${min} to ${max}, got "${v}"`);
      return undefined;
    }
    return n;
  };
  const forcePathStyle = bool('forcePathStyle', endpoint !== undefined);
  const partSizeMiB = int('partSizeMiB', MIN_PART_SIZE / (1024 * 1024), 5120);
  const queueSize = int('queueSize', 1, 64);

  let credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  if (u.username !== '' || u.password !== '') {
    if (u.username === '' || u.password === '') {
      problems.push('BLOB_STORE: give both access key id and secret (s3://KEY_ID:SECRET@bucket) or neither');
    } else {
      credentials = {
        accessKeyId: decodeURIComponent(u.username),
        secretAccessKey: decodeURIComponent(u.password),
      };
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const region = param('region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return {
    kind: 's3',
    options: {
      bucket,
      prefix,
      client: {
        region,
        forcePathStyle,
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(credentials === undefined ? {} : { credentials }),
      },
      ...(partSizeMiB === undefined ? {} : { partSize: partSizeMiB * 1024 * 1024 }),
      ...(queueSize === undefined ? {} : { queueSize }),
    },
  };
}

/**
 * Opens the blob store BLOB_STORE names (see `parseBlobStoreUrl`). A filesystem root is created
 * if missing; S3 is not contacted until first use (/readyz pings it).
 * @throws {ConfigError} for a malformed URL; the filesystem's error when the root can't be created.
 */
export async function blobStoreFromUrl(url: string | undefined, dataDir: string): Promise<BlobStore> {
  const spec = parseBlobStoreUrl(url, dataDir);
  if (spec.kind === 'filesystem') {
    await mkdir(spec.root, { recursive: true, mode: 0o700 });
    return new FilesystemBlobStore(spec.root);
  }
  const { S3BlobStore } = await import('./s3.ts');
  return new S3BlobStore(spec.options);
}
