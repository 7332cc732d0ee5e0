import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { blobStoreContract } from './contract.ts';
import { blobStoreFromUrl } from './index.ts';
import { S3BlobStore } from './s3.ts';

const BUCKET = 'amtsbote-test';

/**
 * A real S3-protocol server (s3rver, objects on disk) on 127.0.0.1 and a free port, in a child
 * process: s3rver signs list continuation tokens with DES, which Node 17+ only offers with
 * --openssl-legacy-provider, and its memory stays out of the bounded-memory measurement.
 */
async function startS3rver(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-s3rver-'));
  const s3rverPath = createRequire(import.meta.url).resolve('s3rver');
  const script = `
    const S3rver = require(${JSON.stringify(s3rverPath)});
    new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: ${JSON.stringify(dir)} })
      .run()
      .then((a) => process.stdout.write(JSON.stringify({ port: a.port }) + '\\n'), (e) => { console.error(e); process.exit(1); });
    // Should the test process die without stopping it, stop too.
    setInterval(() => { try { process.kill(${process.pid}, 0); } catch { process.exit(0); } }, 1000).unref();
  `;
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => {
      reject(new Error(`s3rver exited with ${String(code)}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let server: Awaited<ReturnType<typeof startS3rver>>;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

before(async () => {
  server = await startS3rver();
  const admin = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
  });
  await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
  admin.destroy();
});
after(() => server.stop());

// s3rver implements neither ListMultipartUploads nor AbortMultipartUpload, so leftovers of
// failed multipart puts can't be observed here; the store still sends the abort.
blobStoreContract(
  'S3 (s3rver), configured by BLOB_STORE URL with a key prefix',
  async () => {
    const url = `s3://S3RVER:S3RVER@${BUCKET}/amtsbote/?endpoint=${encodeURIComponent(server.endpoint)}&region=us-east-1&partSizeMiB=5&queueSize=2`;
    return { store: await blobStoreFromUrl(url, '/unused') };
  },
  {
    serverQuirks: {
      unorderedList: 's3rver lists in its directory order; S3, MinIO and Ceph list in byte order',
      racyOverwrites: 's3rver writes objects in place; S3, MinIO and Ceph replace them atomically',
    },
  },
);

describe('S3BlobStore', () => {
  let store: S3BlobStore;
  before(() => {
    store = new S3BlobStore({
      bucket: BUCKET,
      client: { endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials },
      partSize: 5 * 1024 * 1024,
      listPageSize: 2,
    });
  });
  after(() => store.close());

  it('lists across pages', async () => {
    const keys = Array.from({ length: 7 }, (_, i) => `paged/k${i}`);
    for (const k of keys) await store.put(k, Readable.from([Buffer.from(k)]));
    const listed: string[] = [];
    for await (const e of store.list('paged/')) listed.push(e.key);
    assert.deepEqual(listed, keys);
  });

  it('keeps prefixed stores apart and hides what is outside its prefix', async () => {
    const prefixed = new S3BlobStore({
      bucket: BUCKET,
      prefix: 'tenant-a/',
      client: { endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials },
    });
    await prefixed.put('x/blob', Readable.from([Buffer.from('a')]));
    assert.equal((await store.stat('tenant-a/x/blob'))?.size, 1);
    assert.equal(await prefixed.stat('paged/k0'), undefined);
    const listed: string[] = [];
    for await (const e of prefixed.list('')) listed.push(e.key);
    assert.deepEqual(listed, ['x/blob']);
    await prefixed.close();
  });

  it('fails ping, puts (single and multipart) and gets for a missing bucket with the S3 error', async () => {
    const wrong = new S3BlobStore({
      bucket: 'no-such-bucket',
      client: {
        endpoint: server.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials,
        maxAttempts: 1,
      },
      partSize: 5 * 1024 * 1024,
    });
    await assert.rejects(wrong.ping());
    await assert.rejects(wrong.put('a', Readable.from([Buffer.from('x')])), { name: 'NoSuchBucket' });
    await assert.rejects(wrong.put('b', Readable.from([Buffer.alloc(11 * 1024 * 1024)])), {
      name: 'NoSuchBucket',
    });
    await assert.rejects(wrong.get('a'), { name: 'NoSuchBucket' });
    await wrong.close();
  });
});
