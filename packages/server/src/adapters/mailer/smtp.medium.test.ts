import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { SMTPServerOptions } from 'smtp-server';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '../../log.ts';
import { parseMail } from '../../testing/outbox.ts';
import type { ReceivedMail } from '../../testing/outbox.ts';
import { mailerContract } from './contract.ts';
import { SmtpMailer } from './smtp.ts';
import { MailDeliveryError } from './types.ts';

const FROM = 'Amtsbote <no-reply@portal.example>';
const USER = 'relay-user';
const PASSWORD = 'pässwört:/@';

interface Received {
  raw: Buffer;
  envelope: { from: string; to: string[] };
  user: string | undefined;
}

/** A real SMTP server on 127.0.0.1 and a free port that keeps what it receives. */
async function startSmtp(options: SMTPServerOptions = {}) {
  const messages: Received[] = [];
  const connections = { open: 0 };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onConnect(_session, cb) {
      connections.open++;
      cb();
    },
    onClose() {
      connections.open--;
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          raw: Buffer.concat(chunks),
          envelope: {
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        cb();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    messages,
    connections,
    received: (): Promise<ReceivedMail[]> =>
      Promise.all(messages.map((m, i) => parseMail(m.raw, `smtp-${i}`))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function silentLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

const withAuth: SMTPServerOptions = {
  authOptional: false,
  allowInsecureAuth: true,
  authMethods: ['PLAIN', 'LOGIN'],
  onAuth(auth, _session, cb) {
    if (auth.username === USER && auth.password === PASSWORD) cb(null, { user: auth.username });
    else cb(new Error('Invalid username or password'));
  },
};
const credentials = `${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}`;

mailerContract('SMTP without AUTH', async () => {
  const smtp = await startSmtp();
  return {
    mailer: new SmtpMailer({
      url: `smtp://127.0.0.1:${smtp.port}`,
      from: FROM,
      logger: silentLogger().logger,
    }),
    from: FROM,
    received: smtp.received,
    cleanup: smtp.stop,
  };
});

mailerContract('SMTP with AUTH', async () => {
  const smtp = await startSmtp(withAuth);
  return {
    mailer: new SmtpMailer({
      url: `smtp://${credentials}@127.0.0.1:${smtp.port}`,
      from: FROM,
      logger: silentLogger().logger,
    }),
    from: FROM,
    received: async () => {
      assert.ok(
        smtp.messages.every((m) => m.user === USER),
        'every mail came through the login',
      );
      return smtp.received();
    },
    cleanup: smtp.stop,
  };
});

mailerContract('SMTPS (implicit TLS, self-signed certificate accepted by parameter)', async () => {
  const smtp = await startSmtp({ secure: true });
  return {
    mailer: new SmtpMailer({
      url: `smtps://127.0.0.1:${smtp.port}?rejectUnauthorized=false`,
      from: FROM,
      logger: silentLogger().logger,
    }),
    from: FROM,
    received: smtp.received,
    cleanup: smtp.stop,
  };
});

describe('SmtpMailer', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp({
      ...withAuth,
      onRcptTo(address, _session, cb) {
        if (address.address.startsWith('unknown')) {
          const err = new Error(`5.1.1 <${address.address}>: Recipient address rejected`) as Error & {
            responseCode: number;
          };
          err.responseCode = 550;
          cb(err);
        } else cb();
      },
    });
  });
  after(() => smtp.stop());

  it('uses the From as envelope sender and the recipients as envelope recipients', async () => {
    const mailer = new SmtpMailer({
      url: `smtp://${credentials}@127.0.0.1:${smtp.port}`,
      from: FROM,
      logger: silentLogger().logger,
    });
    await mailer.send({ to: ['envelope@example.org', 'zwei@example.org'], subject: 'x', text: 'x' });
    await mailer.close();
    const last = smtp.messages.at(-1);
    assert.deepEqual(last?.envelope, {
      from: 'no-reply@portal.example',
      to: ['envelope@example.org', 'zwei@example.org'],
    });
  });

  it('rejects with a MailDeliveryError naming the reply, not the address, when the server refuses', async () => {
    const mailer = new SmtpMailer({
      url: `smtp://${credentials}@127.0.0.1:${smtp.port}`,
      from: FROM,
      logger: silentLogger().logger,
    });
    await assert.rejects(
      mailer.send({ to: ['unknown-person@example.org'], subject: 'x', text: 'x' }),
      (err: unknown) => {
        assert.ok(err instanceof MailDeliveryError, String(err));
        assert.equal(err.code, 'ERR_MAIL_DELIVERY');
        assert.equal(err.responseCode, 550);
        assert.equal(err.permanent, true);
        assert.match(err.message, /Recipient address rejected/);
        assert.doesNotMatch(err.message, /unknown-person/);
        return true;
      },
    );
    await mailer.close();
  });

  it('delivers to the accepted recipients and logs a count for the refused ones', async () => {
    const { logger, lines } = silentLogger();
    const mailer = new SmtpMailer({
      url: `smtp://${credentials}@127.0.0.1:${smtp.port}`,
      from: FROM,
      logger,
    });
    await mailer.send({ to: ['known@example.org', 'unknown-2@example.org'], subject: 'teils', text: 'x' });
    await mailer.close();
    assert.deepEqual(smtp.messages.at(-1)?.envelope.to, ['known@example.org']);
    const log = lines.join('');
    assert.match(log, /"rejected":1/);
    assert.doesNotMatch(log, /unknown-2|known@/);
  });

  it('rejects with a permanent MailDeliveryError when the login is refused', async () => {
    const mailer = new SmtpMailer({
      url: `smtp://${USER}:wrong@127.0.0.1:${smtp.port}`,
      from: FROM,
      logger: silentLogger().logger,
    });
    await assert.rejects(mailer.send({ to: ['a@example.org'], subject: 'x', text: 'x' }), (err: unknown) => {
      assert.ok(err instanceof MailDeliveryError, String(err));
      assert.equal(err.reason, 'EAUTH');
      assert.equal(err.permanent, true);
      assert.match(err.message, /login/);
      return true;
    });
    await mailer.close();
  });

  it('rejects with a MailDeliveryError when nothing listens', async () => {
    const closed = await startSmtp();
    await closed.stop();
    const mailer = new SmtpMailer({
      url: `smtp://127.0.0.1:${closed.port}`,
      from: FROM,
      logger: silentLogger().logger,
    });
    await assert.rejects(mailer.send({ to: ['a@example.org'], subject: 'x', text: 'x' }), (err: unknown) => {
      assert.ok(err instanceof MailDeliveryError, String(err));
      assert.equal(err.permanent, false);
      return true;
    });
    await mailer.close();
  });

  it('reuses pooled connections and closes them on close()', async () => {
    const before = smtp.messages.length;
    const mailer = new SmtpMailer({
      url: `smtp://${credentials}@127.0.0.1:${smtp.port}?maxConnections=2`,
      from: FROM,
      logger: silentLogger().logger,
    });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        mailer.send({ to: [`pool${i}@example.org`], subject: 'p', text: 'x' }),
      ),
    );
    assert.equal(smtp.messages.length, before + 10);
    assert.ok(smtp.connections.open <= 2, `${smtp.connections.open} connections open`);
    await mailer.close();
    for (let i = 0; i < 500 && smtp.connections.open > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(smtp.connections.open, 0);
  });
});
