import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OutboxMailer } from '../adapters/mailer/outbox.ts';
import { createLogger } from '../log.ts';
import { parseMail, readOutbox, waitForMail } from './outbox.ts';

describe('readOutbox / waitForMail', () => {
  let dir: string;
  let mailer: OutboxMailer;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-outbox-'));
    mailer = new OutboxMailer({
      dir,
      from: 'Amtsbote <no-reply@amt.example>',
      logger: createLogger('silent'),
      printLinks: false,
    });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads nothing from an outbox that does not exist yet', async () => {
    assert.deepEqual(await readOutbox(path.join(dir, 'nope')), []);
  });

  it('reads mails oldest first in the shape tests use, skipping temp and other files', async () => {
    await mailer.send({
      to: ['erste@example.org'],
      subject: 'Erste',
      text: 'Link: https://amt.example/a und https://amt.example/a, dann http://amt.example/b.',
      html: '<p>x</p>',
      replyTo: 'amt@amt.example',
    });
    await mailer.send({ to: ['zweite@example.org', 'dritte@example.org'], subject: 'Zweite', text: 'ohne' });
    await writeFile(path.join(dir, '.9999-half-written.eml.tmp'), 'From: x');
    await writeFile(path.join(dir, 'notes.txt'), 'not a mail');
    const mails = await readOutbox(dir);
    assert.deepEqual(
      mails.map((m) => m.subject),
      ['Erste', 'Zweite'],
    );
    const [first, second] = mails;
    assert.ok(first !== undefined && second !== undefined);
    assert.match(first.file, /\.eml$/);
    assert.deepEqual(first.to, ['erste@example.org']);
    assert.equal(first.from, 'Amtsbote <no-reply@amt.example>');
    assert.deepEqual(first.links, ['https://amt.example/a', 'http://amt.example/b']);
    assert.equal(first.replyTo, 'amt@amt.example');
    assert.equal(first.html, '<p>x</p>');
    assert.ok(first.date instanceof Date && !Number.isNaN(first.date.getTime()));
    assert.deepEqual(second.to, ['zweite@example.org', 'dritte@example.org']);
    assert.equal(second.html, undefined);
    assert.equal(second.replyTo, undefined);
  });

  it('waits for a mail that is written later', async () => {
    setTimeout(() => void mailer.send({ to: ['spaet@example.org'], subject: 'Später', text: 'x' }), 100);
    const mail = await waitForMail(dir, (m) => m.to.includes('spaet@example.org'), { timeoutMs: 5000 });
    assert.equal(mail.subject, 'Später');
  });

  it('gives up after the timeout, naming what was there', async () => {
    await assert.rejects(
      waitForMail(dir, (m) => m.subject === 'Nie', { timeoutMs: 100 }),
      /no matching mail .*"Erste"/,
    );
  });

  it('parses a raw message from elsewhere, e.g. an SMTP server', async () => {
    const raw = [
      'From: =?UTF-8?Q?B=C3=BCrgeramt?= <amt@example.org>',
      'To: a@example.org, B <b@example.org>',
      'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=',
      'Date: Thu, 15 Jan 2026 09:00:00 +0000',
      'Message-ID: <1@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Sch=C3=B6n: https://example.org/x',
      '',
    ].join('\r\n');
    const mail = await parseMail(raw, 'smtp-1');
    assert.equal(mail.file, 'smtp-1');
    assert.equal(mail.from, 'Bürgeramt <amt@example.org>');
    assert.deepEqual(mail.to, ['a@example.org', 'b@example.org']);
    assert.equal(mail.subject, 'Grüße');
    assert.equal(mail.text.trim(), 'Schön: https://example.org/x');
    assert.deepEqual(mail.links, ['https://example.org/x']);
    assert.deepEqual(mail.contentTypes, ['text/plain']);
    assert.equal(mail.date.toISOString(), '2026-01-15T09:00:00.000Z');
    assert.equal(mail.messageId, '<1@example.org>');
  });
});
