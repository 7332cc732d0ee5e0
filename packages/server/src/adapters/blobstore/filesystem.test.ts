import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { blobStoreContract } from './contract.ts';
import { FilesystemBlobStore } from './filesystem.ts';

/** Every file or directory under `dir` whose name starts with a dot: temp files of unfinished puts. */
async function tempFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => []);
  return entries.filter((e) => path.basename(e).startsWith('.'));
}

blobStoreContract('filesystem', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-blobs-'));
  return {
    store: new FilesystemBlobStore(dir),
    leftovers: () => tempFiles(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('FilesystemBlobStore', () => {
  let dir: string;
  let store: FilesystemBlobStore;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-blobs-'));
    store = new FilesystemBlobStore(path.join(dir, 'root'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps a key as the file of the same path, private to the server user', async () => {
    await store.put('transfers/t1/f1/000-abc', Readable.from([Buffer.from('hallo')]));
    const file = path.join(dir, 'root', 'transfers', 't1', 'f1', '000-abc');
    const info = await stat(file);
    assert.equal(info.size, 5);
    assert.equal(info.mode & 0o777, 0o600);
    assert.equal((await stat(path.join(dir, 'root', 'transfers'))).mode & 0o777, 0o700);
  });

  it('removes directories a delete leaves empty, but not the root or a non-empty one', async () => {
    await store.put('d/x/one', Readable.from([Buffer.from('1')]));
    await store.put('d/y/two', Readable.from([Buffer.from('2')]));
    await store.delete('d/x/one');
    assert.deepEqual((await readdir(path.join(dir, 'root', 'd'))).sort(), ['y']);
    await store.delete('d/y/two');
    assert.equal((await readdir(path.join(dir, 'root'))).includes('d'), false);
    await stat(path.join(dir, 'root'));
  });

  it('puts into a directory that a concurrent delete is pruning', async () => {
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await store.put(`race/dir/k${i % 2}`, Readable.from([Buffer.from(String(i))]));
        await store.delete(`race/dir/k${i % 2}`);
      }),
    );
    await store.put('race/dir/last', Readable.from([Buffer.from('ok')]));
    assert.equal((await store.stat('race/dir/last'))?.size, 2);
  });

  it('treats a key that names a directory of other keys as missing', async () => {
    await store.put('tree/leaf', Readable.from([Buffer.from('x')]));
    assert.equal(await store.stat('tree'), undefined);
    await assert.rejects(store.get('tree'), { name: 'BlobNotFoundError' });
    await store.delete('tree');
    assert.equal((await store.stat('tree/leaf'))?.size, 1);
  });

  it('does not list stray files that are no blob keys', async () => {
    await store.put('stray/ok', Readable.from([Buffer.from('x')]));
    await writeFile(path.join(dir, 'root', 'stray', 'Upper.txt'), 'x');
    await writeFile(path.join(dir, 'root', 'stray', '.ok.0123.tmp'), 'x');
    const keys: string[] = [];
    for await (const e of store.list('stray/')) keys.push(e.key);
    assert.deepEqual(keys, ['stray/ok']);
  });

  it('removes stale temp files of crashed puts, and only those', async () => {
    const sub = path.join(dir, 'root', 'crash', 'a');
    await store.put('crash/a/kept', Readable.from([Buffer.from('x')]));
    const stale = path.join(sub, '.kept.deadbeef.tmp');
    const fresh = path.join(sub, '.kept.cafebabe.tmp');
    await writeFile(stale, 'partial');
    await writeFile(fresh, 'partial');
    const dayAgo = new Date(Date.now() - 86_400_000);
    await utimes(stale, dayAgo, dayAgo);
    assert.equal(await store.removeStaleTempFiles(new Date(Date.now() - 3_600_000)), 1);
    assert.deepEqual((await readdir(sub)).sort(), ['.kept.cafebabe.tmp', 'kept']);
  });

  it('pings a root it can create and write', async () => {
    const fresh = new FilesystemBlobStore(path.join(dir, 'not', 'yet'));
    await fresh.ping();
    await stat(path.join(dir, 'not', 'yet'));
  });
});
