import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config.ts';
import { createLogger } from '../../log.ts';
import { readOutbox } from '../../testing/outbox.ts';
import { OutboxMailer, SmtpMailer, extractLinks, mailerFromConfig, parseSmtpUrl } from './index.ts';

const logger = createLogger('silent');

describe('parseSmtpUrl', () => {
  it('reads smtp:// with STARTTLS on port 587 by default, pooled, verifying certificates', () => {
    assert.deepEqual(parseSmtpUrl('smtp://relay.example'), {
      pool: true,
      host: 'relay.example',
      port: 587,
      secure: false,
      requireTLS: false,
      tls: { rejectUnauthorized: true },
      maxConnections: 5,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
  });

  it('reads smtps:// on 465, percent-encoded credentials and parameters', () => {
    const o = parseSmtpUrl(
      'smtps://amt%40kreis.example:p%C3%A4ss%3Aw%2Fort@[::1]?name=portal.kreis.example&maxConnections=2',
    );
    assert.equal(o.secure, true);
    assert.equal(o.port, 465);
    assert.equal(o.host, '::1');
    assert.deepEqual(o.auth, { user: 'amt@kreis.example', pass: 'päss:w/ort' });
    assert.equal(o.name, 'portal.kreis.example');
    assert.equal(o.maxConnections, 2);
    const p = parseSmtpUrl('smtp://relay:25?requireTLS=true&rejectUnauthorized=false');
    assert.equal(p.port, 25);
    assert.equal(p.requireTLS, true);
    assert.deepEqual(p.tls, { rejectUnauthorized: false });
  });

  it('names every problem', () => {
    try {
      parseSmtpUrl('smtp://user@relay?tls=off&requireTLS=vielleicht&maxConnections=0');
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 4, err.problems.join('\n'));
    }
    assert.throws(() => parseSmtpUrl('http://relay'), ConfigError);
    assert.throws(() => parseSmtpUrl('kein url'), ConfigError);
  });
});

describe('mailerFromConfig', () => {
  it('writes to DATA_DIR/outbox without SMTP_URL', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'amtsbote-data-'));
    try {
      const printed: string[] = [];
      const mailer = mailerFromConfig({
        smtpUrl: undefined,
        dataDir,
        from: 'Amtsbote <a@b.example>',
        logger,
        printLinks: true,
        announce: (l) => printed.push(l),
      });
      assert.ok(mailer instanceof OutboxMailer);
      await mailer.send({ to: ['x@example.org'], subject: 'Hallo', text: 'https://a.example/1' });
      assert.equal((await readOutbox(path.join(dataDir, 'outbox')))[0]?.subject, 'Hallo');
      assert.equal(printed.length, 1);
      await mailer.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('sends by SMTP with SMTP_URL, connecting only on the first send', async () => {
    const mailer = mailerFromConfig({
      smtpUrl: 'smtp://127.0.0.1:1',
      dataDir: '/unused',
      from: 'a@b.example',
      logger,
      printLinks: false,
    });
    assert.ok(mailer instanceof SmtpMailer);
    await mailer.close();
    assert.throws(
      () =>
        mailerFromConfig({
          smtpUrl: 'smtp://h?x=1',
          dataDir: '/unused',
          from: 'a@b.example',
          logger,
          printLinks: false,
        }),
      ConfigError,
    );
  });
});

describe('extractLinks', () => {
  it('finds http(s) links in order, once each, without trailing punctuation', () => {
    assert.deepEqual(
      extractLinks(
        'Hier: https://a.example/x?y=1&z=2. Und (http://b.example/p), nochmals https://a.example/x?y=1&z=2!\nftp://no.example <https://c.example/q>',
      ),
      ['https://a.example/x?y=1&z=2', 'http://b.example/p', 'https://c.example/q'],
    );
    assert.deepEqual(extractLinks('keine Links'), []);
  });
});
