import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../log.ts';
import { readOutbox } from '../../testing/outbox.ts';
import { mailerContract } from './contract.ts';
import { OutboxMailer } from './outbox.ts';

const FROM = 'Amtsbote Musterstadt <no-reply@musterstadt.example>';

function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: createLogger('trace', sink), lines };
}

mailerContract('outbox', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-outbox-'));
  const outbox = path.join(dir, 'outbox');
  return {
    mailer: new OutboxMailer({
      dir: outbox,
      from: FROM,
      logger: capturingLogger().logger,
      printLinks: false,
    }),
    from: FROM,
    received: () => readOutbox(outbox),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('OutboxMailer', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-outbox-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes private .eml files whose names sort by time, and no temp files', async () => {
    const outbox = path.join(dir, 'sorted');
    const mailer = new OutboxMailer({
      dir: outbox,
      from: FROM,
      logger: capturingLogger().logger,
      printLinks: false,
    });
    for (let i = 0; i < 25; i++)
      await mailer.send({ to: [`p${i}@example.org`], subject: `Nr. ${i}`, text: 'x' });
    const names = await readdir(outbox);
    assert.equal(names.length, 25);
    assert.ok(
      names.every((n) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-\d{6}-[0-9a-f]{8}\.eml$/.test(n)),
      names.join(),
    );
    assert.deepEqual(
      (await readOutbox(outbox)).map((m) => m.subject),
      Array.from({ length: 25 }, (_, i) => `Nr. ${i}`),
    );
    assert.equal((await stat(path.join(outbox, names[0] ?? ''))).mode & 0o777, 0o600);
    assert.equal((await stat(outbox)).mode & 0o777, 0o700);
  });

  it('writes RFC 5322 with CRLF line ends and encoded UTF-8 headers', async () => {
    const outbox = path.join(dir, 'raw');
    const mailer = new OutboxMailer({
      dir: outbox,
      from: FROM,
      logger: capturingLogger().logger,
      printLinks: false,
    });
    await mailer.send({ to: ['a@example.org'], subject: 'Grüße', text: 'Hallo', html: '<p>Hallo</p>' });
    const [name] = await readdir(outbox);
    const raw = await readFile(path.join(outbox, name ?? ''), 'latin1');
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    assert.match(head, /^From: Amtsbote Musterstadt <no-reply@musterstadt\.example>$/m);
    assert.match(head, /^Subject: =\?UTF-8\?[QB]\?/m);
    assert.match(head, /^Date: \w{3}, \d{1,2} \w{3} \d{4} /m);
    assert.match(head, /^Message-ID: <.+@musterstadt\.example>$/m);
    assert.doesNotMatch(raw.replace(/\r\n/g, ''), /\n/, 'only CRLF line ends');
    assert.ok(/^[\x20-\x7e\r\n\t]*$/.test(raw), '7-bit clean');
  });

  it('prints one line per mail with recipients, subject and links, and logs no content', async () => {
    const outbox = path.join(dir, 'printed');
    const printed: string[] = [];
    const { logger, lines } = capturingLogger();
    const mailer = new OutboxMailer({
      dir: outbox,
      from: FROM,
      logger,
      printLinks: true,
      announce: (l) => printed.push(l),
    });
    await mailer.send({
      to: ['admin@musterstadt.example'],
      subject: 'Ihr Anmelde-Link für Musterstadt',
      text: 'Geheimer Satz.\n\nhttp://localhost:8080/login/link/tok_123\n\nhttps://musterstadt.example/hilfe.',
      html: '<p>Geheimer Satz.</p>',
    });
    await mailer.send({ to: ['b@example.org', 'c@example.org'], subject: 'Ohne Link', text: 'Nichts.' });
    assert.equal(printed.length, 2);
    assert.equal(
      printed[0],
      '  mail to admin@musterstadt.example: Ihr Anmelde-Link für Musterstadt → http://localhost:8080/login/link/tok_123 https://musterstadt.example/hilfe',
    );
    assert.match(printed[1] ?? '', /^ {2}mail to b@example\.org, c@example\.org: Ohne Link \(.+\.eml\)$/);
    assert.ok(!printed.join('\n').includes('Geheimer'), 'no body on the console');
    const log = lines.join('');
    assert.ok(log.includes('mail written to the outbox'));
    for (const secret of ['Geheimer', 'tok_123', 'admin@musterstadt.example', 'Anmelde-Link']) {
      assert.ok(!log.includes(secret), `${secret} not logged`);
    }
  });

  it('prints nothing without printLinks', async () => {
    const printed: string[] = [];
    const mailer = new OutboxMailer({
      dir: path.join(dir, 'quiet'),
      from: FROM,
      logger: capturingLogger().logger,
      printLinks: false,
      announce: (l) => printed.push(l),
    });
    await mailer.send({ to: ['a@example.org'], subject: 'x', text: 'http://a.example/' });
    assert.deepEqual(printed, []);
  });
});
