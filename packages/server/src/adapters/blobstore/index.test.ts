import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config.ts';
import { FilesystemBlobStore, blobStoreFromUrl, parseBlobStoreUrl } from './index.ts';
import { S3BlobStore } from './s3.ts';

function problemsOf(url: string): string[] {
  try {
    parseBlobStoreUrl(url, '/data');
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return [...err.problems];
  }
  assert.fail(`expected a ConfigError for ${url}`);
}

describe('parseBlobStoreUrl', () => {
  it('defaults to files under DATA_DIR/blobs', () => {
    assert.deepEqual(parseBlobStoreUrl(undefined, '/data'), {
      kind: 'filesystem',
      root: path.join('/data', 'blobs'),
    });
    assert.deepEqual(parseBlobStoreUrl(' ', '/data'), {
      kind: 'filesystem',
      root: path.join('/data', 'blobs'),
    });
  });

  it('takes file:///absolute/path', () => {
    assert.deepEqual(parseBlobStoreUrl('file:///srv/amtsbote/blobs', '/data'), {
      kind: 'filesystem',
      root: '/srv/amtsbote/blobs',
    });
    assert.deepEqual(parseBlobStoreUrl('file:///srv/mit%20Leerzeichen', '/data'), {
      kind: 'filesystem',
      root: '/srv/mit Leerzeichen',
    });
    assert.match(problemsOf('file://host/srv')[0] ?? '', /file:\/\/\/absolute\/path/);
    assert.match(problemsOf('file:///srv?x=1')[0] ?? '', /no parameters/);
  });

  it('takes s3://bucket with endpoint, region and path style, credentials left to the SDK', () => {
    const spec = parseBlobStoreUrl(
      's3://amtsbote-blobs?endpoint=http://127.0.0.1:9000&region=eu-central-1&forcePathStyle=true',
      '/data',
    );
    assert.deepEqual(spec, {
      kind: 's3',
      options: {
        bucket: 'amtsbote-blobs',
        prefix: '',
        client: { region: 'eu-central-1', forcePathStyle: true, endpoint: 'http://127.0.0.1:9000' },
      },
    });
  });

  it('defaults path style on with an endpoint and off without (AWS)', () => {
    const withEndpoint = parseBlobStoreUrl('s3://bucket-a?endpoint=https://s3.example', '/data');
    assert.equal(withEndpoint.kind === 's3' && withEndpoint.options.client?.forcePathStyle, true);
    const aws = parseBlobStoreUrl('s3://bucket-a?region=eu-central-1', '/data');
    assert.equal(aws.kind === 's3' && aws.options.client?.forcePathStyle, false);
    const off = parseBlobStoreUrl('s3://bucket-a?endpoint=https://s3.example&forcePathStyle=false', '/data');
    assert.equal(off.kind === 's3' && off.options.client?.forcePathStyle, false);
  });

  it('takes percent-encoded credentials, a key prefix and tuning', () => {
    const spec = parseBlobStoreUrl(
      's3://AKIAEXAMPLE:se%2Fcr%2Bet@bucket-a/amtsbote/prod?partSizeMiB=64&queueSize=4',
      '/data',
    );
    assert.equal(spec.kind, 's3');
    assert.equal(spec.options.prefix, 'amtsbote/prod/');
    assert.deepEqual(spec.options.client?.credentials, {
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'se/cr+et',
    });
    assert.equal(spec.options.partSize, 64 * 1024 * 1024);
    assert.equal(spec.options.queueSize, 4);
  });

  it('names every problem at once', () => {
    const problems = problemsOf(
      's3://B:@x/Upper?regoin=eu&partSizeMiB=1&queueSize=0&forcePathStyle=ja&endpoint=ftp://x',
    );
    assert.equal(problems.length, 8, problems.join('\n'));
    for (const word of [
      'bucket',
      'prefix',
      'regoin',
      'partSizeMiB',
      'queueSize',
      'forcePathStyle',
      'endpoint',
      'secret',
    ]) {
      assert.ok(
        problems.some((p) => p.includes(word)),
        `${word} in ${problems.join(' | ')}`,
      );
    }
    assert.ok(problems.every((p) => p.startsWith('BLOB_STORE')));
    assert.match(problemsOf('s3://bucket-a:9000')[0] ?? '', /endpoint=/);
    assert.match(problemsOf('gs://bucket-a')[0] ?? '', /s3:\/\/ or file:\/\//);
  });
});

describe('blobStoreFromUrl', () => {
  it('opens the filesystem default and creates its root', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'amtsbote-data-'));
    try {
      const store = await blobStoreFromUrl(undefined, dataDir);
      assert.ok(store instanceof FilesystemBlobStore);
      assert.ok((await stat(path.join(dataDir, 'blobs'))).isDirectory());
      await store.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('opens S3 without contacting it', async () => {
    const store = await blobStoreFromUrl(
      's3://bucket-a?endpoint=http://127.0.0.1:1&region=eu-central-1',
      '/data',
    );
    assert.ok(store instanceof S3BlobStore);
    await store.close();
  });
});
