import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReceivedMail } from '../../testing/outbox.ts';
import type { Mailer, OutgoingMail } from './types.ts';

/** What a contract run needs from one implementation. */
export interface MailerSubject {
  mailer: Mailer;
  /** The From the mailer was configured with. */
  from: string;
  /** Every mail that arrived so far (outbox files, or what a test SMTP server received), oldest first. */
  received(): Promise<ReceivedMail[]>;
  /** Runs after `mailer.close()`. */
  cleanup?: () => Promise<void>;
}

/** `text` as a mail part carries it: line ends normalised, no trailing newline. */
function normalised(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/\n+$/, '');
}

/**
 * Registers the mailer contract as node:test cases: every Mailer implementation must pass it.
 * `open` is called once; each case finds its own mails by unique recipients.
 */
export function mailerContract(name: string, open: () => Promise<MailerSubject>): void {
  void describe(`Mailer contract: ${name}`, () => {
    let subject: MailerSubject;
    let n = 0;
    /** An address no other case uses. */
    const address = (who: string) => `${who}.c${String(++n)}@example.org`;

    before(async () => {
      subject = await open();
    });
    after(async () => {
      await subject.mailer.close();
      await subject.cleanup?.();
    });

    async function mailsTo(to: string): Promise<ReceivedMail[]> {
      return (await subject.received()).filter((m) => m.to.includes(to));
    }
    async function onlyMailTo(to: string): Promise<ReceivedMail> {
      const mails = await mailsTo(to);
      assert.equal(mails.length, 1, `exactly one mail to ${to}`);
      const [mail] = mails;
      assert.ok(mail !== undefined);
      return mail;
    }

    void it('delivers to every recipient with a UTF-8 subject, From, Date and Message-ID', async () => {
      const a = address('anna');
      const b = address('bernd');
      const before = Date.now();
      await subject.mailer.send({
        to: [a, b],
        subject: 'Ihr Anmelde-Link für Müllheim – gültig 15 Minuten ✓',
        text: 'Grüße aus dem Rathaus.\n',
      });
      const mail = await onlyMailTo(a);
      assert.deepEqual(mail.to, [a, b]);
      assert.equal(mail.subject, 'Ihr Anmelde-Link für Müllheim – gültig 15 Minuten ✓');
      assert.equal(normalised(mail.text), 'Grüße aus dem Rathaus.');
      const fromAddress = /<([^>]+)>/.exec(subject.from)?.[1] ?? subject.from;
      assert.ok(mail.from.includes(fromAddress), `From ${mail.from}`);
      assert.ok(Math.abs(mail.date.getTime() - before) < 5 * 60_000, `Date ${mail.date.toISOString()}`);
      assert.match(mail.messageId ?? '', /^<[^<>@\s]+@[^<>@\s]+>$/);
      assert.equal(mail.headers['mime-version'], '1.0');
      assert.equal(mail.headers['auto-submitted'], 'auto-generated');
    });

    void it('sends text and HTML as multipart/alternative with a real text/plain part', async () => {
      const to = address('carla');
      const link = 'https://portal.example/login/link/AbC_123-xyz?lang=de&next=%2Fpostfach';
      const mail: OutgoingMail = {
        to: [to],
        subject: 'Neue Nachricht',
        text: `Guten Tag,\n\nSie haben eine neue Nachricht:\n\n${link}\n\nOder hier: ${link}.\nHilfe: http://hilfe.example/faq.`,
        html: `<p>Guten Tag,</p><p><a href="${link.replace(/&/g, '&amp;')}">Öffnen</a></p>`,
      };
      await subject.mailer.send(mail);
      const got = await onlyMailTo(to);
      assert.deepEqual(got.contentTypes, ['multipart/alternative', 'text/plain', 'text/html']);
      assert.equal(normalised(got.text), normalised(mail.text));
      assert.ok(
        got.html?.includes(
          '<a href="https://portal.example/login/link/AbC_123-xyz?lang=de&amp;next=%2Fpostfach">Öffnen</a>',
        ),
      );
      assert.deepEqual(got.links, [link, 'http://hilfe.example/faq']);
    });

    void it('sends text alone as text/plain', async () => {
      const to = address('dora');
      await subject.mailer.send({ to: [to], subject: 'Nur Text', text: 'Kein HTML.' });
      const got = await onlyMailTo(to);
      assert.deepEqual(got.contentTypes, ['text/plain']);
      assert.equal(got.html, undefined);
      assert.deepEqual(got.links, []);
    });

    void it('keeps a long link whole across line folding', async () => {
      const to = address('emil');
      const link = `https://portal.example/t/${'a1b2c3d4'.repeat(40)}?x=${'ä'.repeat(3)}`;
      await subject.mailer.send({
        to: [to],
        subject: 'Langer Link',
        text: `Link:\n${link}\n`,
        html: `<p>${link}</p>`,
      });
      assert.deepEqual((await onlyMailTo(to)).links, [link]);
    });

    void it('sets Reply-To', async () => {
      const to = address('frida');
      await subject.mailer.send({
        to: [to],
        subject: 'Antwort',
        text: 'x',
        replyTo: 'sachbearbeitung@amt.example',
      });
      assert.equal((await onlyMailTo(to)).replyTo, 'sachbearbeitung@amt.example');
    });

    void it('keeps a subject to one line (no header injection)', async () => {
      const to = address('gustav');
      const evil = address('evil');
      await subject.mailer.send({ to: [to], subject: `Hallo\r\nBcc: ${evil}`, text: 'x' });
      const got = await onlyMailTo(to);
      assert.equal(got.subject, `Hallo Bcc: ${evil}`);
      assert.equal(got.headers.bcc, undefined);
      assert.deepEqual(await mailsTo(evil), []);
    });

    void it('rejects a mail without recipients or with a line break in an address', async () => {
      await assert.rejects(subject.mailer.send({ to: [], subject: 'x', text: 'x' }), TypeError);
      await assert.rejects(
        subject.mailer.send({ to: [`${address('h')}\r\nBcc: x@example.org`], subject: 'x', text: 'x' }),
        TypeError,
      );
      await assert.rejects(
        subject.mailer.send({ to: [address('i')], subject: 'x', text: 'x', replyTo: 'a@b.example\nX: y' }),
        TypeError,
      );
    });

    void it('sends several mails at once', async () => {
      const recipients = Array.from({ length: 6 }, (_, i) => address(`many${i}`));
      await Promise.all(
        recipients.map((to, i) => subject.mailer.send({ to: [to], subject: `Nr. ${i}`, text: `${i}` })),
      );
      for (const [i, to] of recipients.entries()) assert.equal((await onlyMailTo(to)).subject, `Nr. ${i}`);
    });
  });
}
