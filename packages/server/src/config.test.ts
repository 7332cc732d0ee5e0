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

describe('mail outbox on purpose (MAIL_OUTBOX)', () => {
  const problemsOf = (env: NodeJS.ProcessEnv): readonly string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.problems;
    }
  };

  it('refuses an https portal without SMTP_URL, naming both settings', () => {
    const problems = problemsOf({ PUBLIC_URL: 'https://portal.example' });
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /SMTP_URL/);
    assert.match(problems[0] ?? '', /MAIL_OUTBOX=1/);
  });

  it('starts with the outbox when MAIL_OUTBOX says so, or with SMTP, or on plain http', () => {
    const outbox = loadConfig({ PUBLIC_URL: 'https://portal.example', MAIL_OUTBOX: '1' });
    assert.equal(outbox.mailOutbox, true);
    assert.equal(outbox.smtpUrl, undefined);
    assert.equal(
      loadConfig({ PUBLIC_URL: 'https://portal.example', SMTP_URL: 'smtp://relay:25' }).mailOutbox,
      false,
    );
    assert.equal(loadConfig({ PUBLIC_URL: 'http://localhost:8080' }).mailOutbox, false);
    assert.equal(loadConfig({}).smtpUrl, undefined);
  });

  it('refuses MAIL_OUTBOX together with SMTP_URL, and a value that is not a yes or no', () => {
    assert.match(
      problemsOf({
        PUBLIC_URL: 'https://portal.example',
        SMTP_URL: 'smtp://relay:25',
        MAIL_OUTBOX: 'true',
      }).join(),
      /MAIL_OUTBOX and SMTP_URL/,
    );
    assert.match(problemsOf({ MAIL_OUTBOX: 'maybe' }).join(), /MAIL_OUTBOX must be true or false/);
  });
});

describe('outbound allowance (OUTBOUND_ALLOW)', () => {
  it('is empty by default and reads addresses and ranges', () => {
    assert.deepEqual(loadConfig({}).outboundAllow, []);
    assert.deepEqual(loadConfig({ OUTBOUND_ALLOW: '127.0.0.1/32, 10.0.0.0/8,::1' }).outboundAllow, [
      { address: '127.0.0.1', prefix: 32, family: 'ipv4' },
      { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
      { address: '::1', prefix: 128, family: 'ipv6' },
    ]);
  });

  it('names a bad entry', () => {
    assert.throws(() => loadConfig({ OUTBOUND_ALLOW: '10.0.0.0/8,intranet' }), /OUTBOUND_ALLOW .*"intranet"/);
  });

  it('refuses to start with a loopback OIDC_ISSUER the allowance does not cover', () => {
    const env = { OIDC_ISSUER: 'http://127.0.0.1:8081/realms/bund', OIDC_CLIENT_ID: 'amtsbote' };
    assert.throws(() => loadConfig(env), /OIDC_ISSUER is on 127\.0\.0\.1 \(loopback\).*OUTBOUND_ALLOW/);
    assert.throws(() => loadConfig({ ...env, OIDC_ISSUER: 'http://localhost:8081' }), /OUTBOUND_ALLOW/);
    assert.equal(loadConfig({ ...env, OUTBOUND_ALLOW: '127.0.0.1' }).oidc?.issuer, env.OIDC_ISSUER);
    assert.equal(
      loadConfig({ ...env, OIDC_ISSUER: 'https://id.example.org', OUTBOUND_ALLOW: '' }).oidc?.issuer,
      'https://id.example.org',
    );
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
