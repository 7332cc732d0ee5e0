import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPage } from '../layout.ts';
import { pagePathFor } from '../routes.ts';
import {
  ATTACK,
  adminUser,
  ctxFor,
  sampleNow,
  samplePolicy,
  samplePostbox,
  sampleRecipients,
  sampleTransfer,
  squash,
  structuralProblems,
} from '../test-support.ts';
import { expiryChoices, transferComposePage } from './compose.ts';
import { postboxPage } from './postbox.ts';
import { recipientTransferPage, recipientVerifyPage } from './recipient.ts';
import { messageText } from './transfer-common.ts';
import { extendChoices, transferDetailPage } from './transfer-detail.ts';

const staff = ctxFor({ user: adminUser });
const DAY = 24 * 60 * 60 * 1000;

function formById(body: string, id: string): string {
  return new RegExp(`<form id="${id}"[^]*?</form>`).exec(body)?.[0] ?? '';
}

describe('compose page', () => {
  const body = squash(
    transferComposePage(staff, { policy: samplePolicy, uploadEndpoint: '/api/v1/uploads' }).body.__html,
  );

  it('hands the limits and the upload endpoint to the island, and loads it', () => {
    const form = formById(body, 'compose');
    assert.match(form, /data-upload-endpoint="\/api\/v1\/uploads"/);
    assert.match(form, new RegExp(`data-max-file-size="${String(samplePolicy.maxFileSize)}"`));
    assert.match(form, /data-max-files="100"/);
    assert.match(form, /data-progress="compose-progress"/);
    assert.match(form, /name="_csrf" value="csrf-token-123"/);
    assert.match(body, /src="\/assets\/islands\/compose.js"/);
  });

  it('without JavaScript: says so, names the CLI, and cannot be submitted', () => {
    assert.match(body, /<div data-needs-js>[^]*braucht diese Seite JavaScript[^]*amtsbote send/);
    assert.match(
      formById(body, 'compose'),
      /<button type="submit" class="kern-btn kern-btn--primary" disabled>/,
    );
  });

  it('has every field, with the limits in human units', () => {
    assert.match(body, /<textarea[^>]*id="compose-recipients" name="recipients"[^>]*autocomplete="off"/);
    assert.match(body, /id="compose-subject" name="subject" type="text"[^>]*maxlength="200"/);
    assert.match(body, /id="compose-files" name="files" type="file" multiple/);
    assert.match(body, /höchstens 100, je Datei höchstens 20 GB, zusammen höchstens 20 GB/);
    assert.match(
      body,
      /id="compose-notifyOnDownload" name="notifyOnDownload" type="checkbox" value="on" checked/,
    );
    assert.match(body, /id="compose-allowReply" name="allowReply" type="checkbox" value="on"(?! checked)/);
  });

  it('explains both levels in plain words, level 1 chosen', () => {
    assert.match(body, /<fieldset class="kern-fieldset" id="compose-level"/);
    assert.match(
      body,
      /id="compose-level-1" name="level" type="radio" value="1" checked aria-describedby="compose-level-1-hint"/,
    );
    assert.match(
      body,
      /id="compose-level-2" name="level" type="radio" value="2" aria-describedby="compose-level-2-hint"/,
    );
    assert.match(body, /Jede Person, die den Link aus der E-Mail hat/);
    assert.match(body, /mit einem Code, den sie per E-Mail bekommt/);
  });

  it('offers expiries up to the maximum, the default chosen', () => {
    assert.deepEqual(
      expiryChoices({ defaultExpiryDays: 60, maxExpiryDays: 365 }),
      [1, 3, 7, 14, 30, 60, 90, 180, 365],
    );
    assert.deepEqual(expiryChoices({ defaultExpiryDays: 10, maxExpiryDays: 45 }), [1, 3, 7, 10, 14, 30, 45]);
    assert.match(body, /<option value="60" selected>60 Tage<\/option>/);
    assert.match(body, /<option value="365">1 Jahr<\/option>/);
    const short = squash(
      transferComposePage(staff, {
        policy: { ...samplePolicy, defaultExpiryDays: 60, maxExpiryDays: 30 },
        uploadEndpoint: '/u',
      }).body.__html,
    );
    assert.doesNotMatch(short, /value="60"/);
    assert.match(short, /<option value="30" selected>/);
  });

  it('has a progress area with a polite live region, hidden until an upload starts', () => {
    assert.match(body, /<section class="ab-section ab-upload" id="compose-progress"[^>]*hidden>/);
    assert.match(
      body,
      /<div class="ab-sr-only" role="status" aria-live="polite" id="compose-progress-announce"/,
    );
    assert.match(body, /<progress id="compose-progress-total" max="100" value="0"/);
  });
});

describe('postbox', () => {
  it('lists each transfer with a link, counterpart, state, files and counts', () => {
    const body = squash(postboxPage(staff, { entries: samplePostbox(3) }).body.__html);
    assert.match(body, /<caption[^>]*>\s*Verschickte Nachrichten und erhaltene Antworten\s*<\/caption>/);
    assert.match(
      body,
      /<th scope="row" class="kern-table__header"><a class="kern-link" href="\/transfers\/00000000-0000-4000-8000-000000000000">Betreff 0<\/a>/,
    );
    assert.match(body, /Inhalt gelöscht/);
    assert.match(body, /Abgelaufen/);
    assert.match(body, /2 Dateien, 1,4 MB/);
    assert.match(body, /1 von 1/);
    assert.match(body, /entfällt/, 'a reply has no recipients to count');
    assert.match(body, /Antwort/);
    assert.match(body, /<time datetime="2026-03-03T12:00:00.000Z">03.03.2026, 13:00<\/time>/, 'Berlin time');
    assert.match(body, /href="\/transfers\/new"/);
    assert.doesNotMatch(body, /before=/);
  });

  it('offers older rows when the page is full', () => {
    const entries = samplePostbox(50);
    const body = postboxPage(staff, { entries }).body.__html;
    const last = entries.at(-1)?.createdAt.toISOString() ?? '';
    assert.ok(body.includes(`href="/transfers?before=${encodeURIComponent(last)}"`));
  });

  it('escapes subjects and counterparts', () => {
    const [e] = samplePostbox(1);
    assert.ok(e !== undefined);
    const body = postboxPage(staff, { entries: [{ ...e, subject: ATTACK, counterpart: ATTACK }] }).body
      .__html;
    assert.doesNotMatch(body, /<script>/);
  });

  it('says so when empty', () => {
    assert.match(postboxPage(staff, { entries: [] }).body.__html, /Hier ist noch nichts/);
  });
});

describe('transfer detail (staff)', () => {
  const sender = squash(
    transferDetailPage(staff, {
      transfer: sampleTransfer(),
      recipients: sampleRecipients,
      policy: samplePolicy,
      isSender: true,
      now: sampleNow,
    }).body.__html,
  );

  it('shows text, files with download links and the ZIP', () => {
    assert.match(sender, /<h1 class="kern-heading-x-large">Ihr Bescheid<\/h1>/);
    assert.match(
      sender,
      /<p class="kern-body ab-message">Guten Tag,<\/p><p class="kern-body ab-message">anbei Ihr Bescheid\.<br>Mit freundlichen Grüßen<\/p>/,
    );
    assert.match(
      sender,
      /<a class="kern-link" href="\/api\/v1\/transfers\/11111111-1111-4111-8111-111111111111\/files\/f1" download>bescheid.pdf<\/a>/,
    );
    assert.match(
      sender,
      /<td class="kern-table__cell">PDF<\/td><td class="kern-table__cell kern-table__cell--numeric">121 KB<\/td>/,
    );
    assert.match(
      sender,
      /href="\/api\/v1\/transfers\/11111111-1111-4111-8111-111111111111\/zip" download>Alle Dateien als ZIP herunterladen \(200 MB\)/,
    );
  });

  it('shows per recipient: notified, opened, downloaded, and each download', () => {
    assert.match(sender, /<th scope="row" class="kern-table__header">buerger@example.org<\/th>/);
    assert.match(sender, /heruntergeladen am <time datetime="2026-03-02T10:01:00.000Z">/);
    assert.match(sender, /<li> ?bescheid.pdf: <time/);
    assert.match(sender, /<li> ?alle Dateien als ZIP: <time/);
    assert.match(
      sender,
      /ina@example.org<\/th><td class="kern-table__cell"><time[^]*?<\/td><td class="kern-table__cell">noch nicht<\/td>/,
    );
  });

  it('offers revoke with a plain warning, and extend within the maximum from sending', () => {
    const revoke = formById(sender, 'revoke');
    assert.match(revoke, /action="\/transfers\/11111111-1111-4111-8111-111111111111\/revoke"/);
    assert.match(revoke, /name="_csrf" value="csrf-token-123"/);
    assert.match(
      sender,
      /funktionieren die Links sofort nicht mehr\. Text und Dateien werden sofort gelöscht/,
    );
    const extend = formById(sender, 'extend');
    assert.match(extend, /action="\/transfers\/11111111-1111-4111-8111-111111111111\/extend"/);
    assert.match(extend, /<select[^>]*id="extend-days" name="days"/);
    // Sent 1 March 09:01, at most 365 days: from 3 March 13:05 that is 362 whole days.
    assert.match(extend, /<option value="362" selected>362 Tage \(bis 28\. Februar 2027\)<\/option>/);
    assert.doesNotMatch(extend, /value="365"/);
  });

  it('extend choices never pass the maximum counted from sending', () => {
    const sent = new Date('2026-01-01T00:00:00Z');
    assert.deepEqual(extendChoices(sent, 30, new Date(sent.getTime() + 20 * DAY)), [1, 3, 7, 10]);
    assert.deepEqual(extendChoices(sent, 30, new Date(sent.getTime() + 29.5 * DAY)), []);
    for (const d of extendChoices(sent, 365, new Date(sent.getTime() + 0.5 * DAY)))
      assert.ok(0.5 * DAY + d * DAY <= 365 * DAY);
  });

  it('an ended transfer shows metadata only: no text, no files, no forms', () => {
    const ended = squash(
      transferDetailPage(staff, {
        transfer: sampleTransfer({
          status: 'expired',
          subject: undefined,
          message: undefined,
          files: [],
          endedAt: new Date('2026-04-30T09:01:00Z'),
        }),
        recipients: sampleRecipients,
        policy: samplePolicy,
        isSender: true,
        now: sampleNow,
      }).body.__html,
    );
    assert.match(ended, /<h1 class="kern-heading-x-large">Inhalt gelöscht<\/h1>/);
    assert.match(ended, /Nur noch die Angaben zur Zustellung/);
    assert.match(ended, /Diese Nachricht ist abgelaufen\. Text und Dateien sind gelöscht\./);
    assert.match(ended, /Gelöscht am/);
    assert.doesNotMatch(ended, /\/files\/|\/zip|Guten Tag/);
    assert.doesNotMatch(ended, /<form id="(revoke|extend)"/);
    assert.match(ended, /buerger@example.org/, 'delivery details stay');
  });

  it('a received reply names its writer and links the original; no sender tools', () => {
    const reply = squash(
      transferDetailPage(staff, {
        transfer: sampleTransfer({ id: 'r', inReplyTo: 'orig', senderStaffId: null, senderRecipientId: 'x' }),
        recipients: [],
        policy: samplePolicy,
        isSender: false,
        from: 'buerger@example.org',
      }).body.__html,
    );
    assert.match(reply, /Antwort von buerger@example.org/);
    assert.match(reply, /href="\/transfers\/orig"/);
    assert.match(reply, /href="\/api\/v1\/transfers\/r\/files\/f1"/);
    assert.doesNotMatch(reply, /<form/);
    assert.doesNotMatch(reply, /Zustellung/);
  });

  it('escapes subject, text, file names and addresses', () => {
    const page = transferDetailPage(staff, {
      transfer: sampleTransfer({
        subject: ATTACK,
        message: ATTACK,
        files: [{ id: 'x', name: ATTACK, type: ATTACK, size: 1, complete: true }],
      }),
      recipients: [{ ...sampleRecipients[0], email: ATTACK } as (typeof sampleRecipients)[number]],
      policy: samplePolicy,
      isSender: true,
      now: sampleNow,
    });
    const doc = renderPage(staff, page);
    assert.doesNotMatch(doc, /<script>alert/);
    assert.deepEqual(structuralProblems(doc), []);
  });
});

describe('recipient page', () => {
  const ctx = ctxFor({ path: '/t/tok-123' });
  const input = {
    token: 'tok-123',
    transfer: sampleTransfer(),
    thread: [],
    email: 'buerger@example.org',
    uploadEndpoint: '/api/v1/uploads',
  };
  const body = squash(recipientTransferPage(ctx, input).body.__html);

  it('names the authority, the expiry, and explains the level', () => {
    assert.match(body, /Musterstadt hat Ihnen diese Nachricht/);
    assert.match(
      body,
      /<dt class="kern-description-list-item__key">Abrufbar bis<\/dt><dd class="kern-description-list-item__value"><time datetime="2026-04-30T09:01:00.000Z">30\. April 2026 um 11:01<\/time>/,
    );
    assert.match(body, /Stufe 1: Öffnen mit dem Link/);
    assert.match(body, /Am 30\. April 2026 wird die Nachricht gelöscht/);
    assert.match(body, /Wir schicken Inhalte nie per E-Mail/);
  });

  it('links each file and the ZIP below the link', () => {
    assert.match(body, /href="\/t\/tok-123\/files\/f1" download>bescheid.pdf<\/a>/);
    assert.match(body, /href="\/t\/tok-123\/zip" download>/);
    assert.match(
      body,
      /<td class="kern-table__cell">DWG<\/td><td class="kern-table__cell kern-table__cell--numeric">200 MB<\/td>/,
    );
  });

  it('offers the reply form when allowed, with "Re:" and the island', () => {
    const form = formById(body, 'reply');
    assert.match(form, /action="\/t\/tok-123\/replies"/);
    assert.match(form, /data-link-token="tok-123"/);
    assert.match(form, /name="_csrf"/);
    assert.match(
      form,
      /id="reply-subject" name="subject" type="text" autocomplete="off" value="Re: Ihr Bescheid"/,
    );
    assert.match(form, /type="file" multiple/);
    assert.match(body, /src="\/assets\/islands\/reply.js"/);
    assert.match(body, /mit Ihrer E-Mail-Adresse buerger@example.org/);
  });

  it('no reply form when the sender did not allow replies', () => {
    const none = recipientTransferPage(ctx, { ...input, transfer: sampleTransfer({ allowReply: false }) })
      .body.__html;
    assert.doesNotMatch(none, /<form/);
    assert.doesNotMatch(none, /reply\.js/);
  });

  it('shows the conversation, ended items without content', () => {
    const withThread = squash(
      recipientTransferPage(ctx, {
        ...input,
        thread: [
          sampleTransfer({
            id: 'a',
            subject: 'Re: Ihr Bescheid',
            message: 'Meine Antwort',
            senderStaffId: null,
            senderRecipientId: 'r',
          }),
          sampleTransfer({ id: 'b', status: 'expired', subject: undefined, message: undefined, files: [] }),
        ],
      }).body.__html,
    );
    assert.match(withThread, /Frühere Nachrichten/);
    assert.match(withThread, /Ihre Antwort, <time/);
    assert.match(withThread, /Meine Antwort/);
    assert.match(withThread, /Nachricht von Musterstadt/);
    assert.match(withThread, /Der Inhalt ist gelöscht\./);
  });

  it('escapes everything from the transfer', () => {
    const doc = renderPage(
      ctx,
      recipientTransferPage(ctx, {
        ...input,
        token: '"><script>',
        email: ATTACK,
        transfer: sampleTransfer({
          subject: ATTACK,
          message: ATTACK,
          files: [{ id: 'x', name: ATTACK, type: '', size: 3, complete: true }],
        }),
      }),
    );
    assert.doesNotMatch(doc, /<script>alert|"><script>/);
    assert.deepEqual(structuralProblems(doc), []);
  });

  it('message text keeps paragraphs and line breaks, and nothing else', () => {
    assert.equal(
      squash(messageText('a\r\nb\n\n\n<b>c</b>\n').__html),
      '<p class="kern-body ab-message">a<br>b</p><p class="kern-body ab-message">&lt;b&gt;c&lt;/b&gt;</p>',
    );
    assert.equal(messageText('\n \n').__html, '');
  });
});

describe('verify page (level 2)', () => {
  const ctx = ctxFor({ path: '/t/tok' });

  it('first: explains, names the masked address, offers only "send me a code"', () => {
    const body = squash(
      recipientVerifyPage(ctx, {
        token: 'tok',
        maskedEmail: 'i***@example.org',
        codeId: undefined,
        error: undefined,
      }).body.__html,
    );
    assert.match(body, /nur für die Person, der die E-Mail-Adresse i\*\*\*@example.org gehört/);
    assert.match(
      body,
      /<form id="verify-request" method="post" action="\/t\/tok\/code"[^>]*><input type="hidden" name="_csrf" value="csrf-token-123">/,
    );
    assert.doesNotMatch(body, /action="\/t\/tok\/verify"|name="code"/);
    assert.doesNotMatch(body, /role="alert"/);
  });

  it('after sending: the code field for six digits, the hidden code id, and "send a new code"', () => {
    const body = squash(
      recipientVerifyPage(ctx, {
        token: 'tok',
        maskedEmail: 'i***@example.org',
        codeId: 'c-1',
        error: undefined,
      }).body.__html,
    );
    const verify = formById(body, 'verify');
    assert.match(verify, /action="\/t\/tok\/verify"/);
    assert.match(verify, /<input type="hidden" name="codeId" value="c-1">/);
    assert.match(
      verify,
      /id="verify-code" name="code" type="text" autocomplete="one-time-code" maxlength="6" inputmode="numeric" pattern="\[0-9\]\{6\}"/,
    );
    assert.match(verify, /name="_csrf" value="csrf-token-123"/);
    assert.match(formById(body, 'verify-resend'), /action="\/t\/tok\/code"/);
    assert.match(body, /Wir haben Ihnen einen Code an i\*\*\*@example.org geschickt/);
  });

  it('a wrong code: the message in the summary and at the field', () => {
    const body = squash(
      recipientVerifyPage(ctx, {
        token: 'tok',
        maskedEmail: 'x',
        codeId: 'c-1',
        error: 'Der Code stimmt nicht.',
      }).body.__html,
    );
    assert.match(
      body,
      /role="alert"[^]*<a class="kern-link" href="#verify-code">Der Code stimmt nicht\.<\/a>/,
    );
    assert.match(
      body,
      /id="verify-code"[^>]*aria-describedby="verify-code-hint verify-code-error" aria-invalid="true"/,
    );
  });

  it('an error before any code (e.g. too many requests) is listed in the summary', () => {
    const body = squash(
      recipientVerifyPage(ctx, { token: 'tok', maskedEmail: 'x', codeId: undefined, error: ATTACK }).body
        .__html,
    );
    assert.match(body, /<li class="kern-body">&lt;script&gt;/);
    assert.doesNotMatch(body, /<script>alert/);
  });

  it('the language links of its POST answers lead back to the link page', () => {
    assert.equal(pagePathFor('/t/abc/code'), '/t/abc');
    assert.equal(pagePathFor('/t/abc/verify'), '/t/abc');
    assert.equal(pagePathFor('/transfers/x/extend'), '/transfers/x');
    assert.equal(pagePathFor('/t/abc'), '/t/abc');
  });
});

describe('staff navigation', () => {
  it('links the postbox and a new message, marking the current one', () => {
    const doc = squash(renderPage({ ...staff, path: '/transfers' }, postboxPage(staff, { entries: [] })));
    assert.match(doc, /<a class="kern-link" href="\/transfers" aria-current="page">Postfach<\/a>/);
    assert.match(doc, /<a class="kern-link" href="\/transfers\/new">Neue Nachricht<\/a>/);
  });
});
