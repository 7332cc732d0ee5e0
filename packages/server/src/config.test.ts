import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, decodeKey, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('runs on embedded defaults with no configuration at all', () => {
    const c = loadConfig({}, '/srv/amtsbote');
    assert.equal(c.port, 8080);
    assert.equal(c.dataDir, '/srv/amtsbote/data');
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.blobStore, undefined);
    assert.equal(c.smtpUrl, undefined);
    assert.equal(c.masterKey, undefined);
    assert.equal(c.publicUrl, 'http://localhost:8080');
  });

  it('reads every variable', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const c = loadConfig({
      PORT: '9000',
      DATA_DIR: '/var/lib/amtsbote',
      DATABASE_URL: 'postgres://u@db/amtsbote',
      BLOB_STORE: 's3://bucket?endpoint=http://127.0.0.1:9000',
      SMTP_URL: 'smtp://relay:25',
      PUBLIC_URL: 'https://portal.example/',
      MASTER_KEY: key,
    });
    assert.equal(c.port, 9000);
    assert.equal(c.databaseUrl, 'postgres://u@db/amtsbote');
    assert.equal(c.publicUrl, 'https://portal.example');
    assert.deepEqual(c.masterKey, Buffer.alloc(32, 1));
  });

  it('names every bad value at once', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        MASTER_KEY: 'short',
        LOG_LEVEL: 'loud',
        SMTP_URL: 'not a url',
      });
      assert.fail('expected ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 5);
      assert.match(err.message, /PORT/);
      assert.match(err.message, /DATABASE_URL/);
      assert.match(err.message, /MASTER_KEY/);
      assert.match(err.message, /LOG_LEVEL/);
      assert.match(err.message, /SMTP_URL/);
    }
  });
});

describe('decodeKey', () => {
  it('accepts 32 bytes as hex, base64 and base64url', () => {
    const k = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));
    assert.deepEqual(decodeKey(k.toString('hex')), k);
    assert.deepEqual(decodeKey(k.toString('base64')), k);
    assert.deepEqual(decodeKey(k.toString('base64url')), k);
  });
  it('refuses other lengths', () => {
    assert.equal(decodeKey(Buffer.alloc(16).toString('base64')), undefined);
    assert.equal(decodeKey('zz'), undefined);
  });
});
