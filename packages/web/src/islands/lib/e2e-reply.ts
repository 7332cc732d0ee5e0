// A recipient's reply at level 3 or 4 (islands/reply.ts), the reply-side twin of lib/e2e-send.ts:
// one random file key, each file encrypted as a stream and uploaded through the usual tus
// endpoint (authorised by the link), at level 4 the text and file names as one encrypted
// manifest; the file key is wrapped for the staff member the reply goes to, for the replying
// recipient's own key, and (shared department outboxes) for that staff member's departments
// (docs/crypto.md, "Replies at levels 3 and 4"). The server sees ciphertext only.
import { generateFileKey, importPublicKey, toBase64Url, wrapFileKey } from '@amtsbote/crypto';
import { messages } from '../../i18n/index.ts';
import { ApiError, asDraftAnswer, parseErrorBody, postJson } from './api.ts';
import { sealedDraftFields, upload } from './e2e-send.ts';
import { clearErrors, showErrors } from './errors.ts';
import { ProgressView } from './progress.ts';
import { checkText } from './rules.ts';
import { pageLocale } from './upload.ts';

/** The staff member has no current personal key: offer level 2 instead. */
export class NoAddresseeKey extends Error {}
/** The replying account (or organisation) has no key to wrap its own copy for. */
export class NoOwnKey extends Error {}

/** Where a reply is made: a recipient's link (`Amtsbote-Link`) or an organisation's postbox. */
export interface ReplyEndpoints {
  keysUrl: string;
  createUrl: string;
  envelopesUrl: (id: string) => string;
  sendUrl: (id: string) => string;
  /** Sent with every request besides the CSRF token (the link, for a recipient's reply). */
  headers: Readonly<Record<string, string>>;
}

export interface ReplyKeys {
  level: 3 | 4;
  addressee: string | null;
  own: string | null;
  departments: { keyId: string; publicKey: string }[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The keys the reply is wrapped for; undefined when the server does not offer an e2e reply. */
export async function fetchReplyKeys(url: string): Promise<ReplyKeys | undefined> {
  const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) return undefined;
  const v: unknown = await res.json();
  if (!isRecord(v) || (v.level !== 3 && v.level !== 4)) return undefined;
  const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);
  return {
    level: v.level,
    addressee: text(v.addressee),
    own: text(v.own),
    departments: (Array.isArray(v.departments) ? v.departments.filter(isRecord) : []).flatMap((d) =>
      typeof d.keyId === 'string' && typeof d.publicKey === 'string'
        ? [{ keyId: d.keyId, publicKey: d.publicKey }]
        : [],
    ),
  };
}

/**
 * Encrypts, uploads and sends the reply. Only public keys are needed: the replier's own key is
 * wrapped for like the others, so nothing has to be unlocked here. Returns the reply's id.
 * @throws {NoAddresseeKey}, {NoOwnKey}, {ApiError}
 */
export async function sendReplyEndToEnd(
  o: ReplyEndpoints & { endpoint: string; csrf: string; view: ProgressView | undefined },
  draft: { subject: string; message: string },
  files: File[],
): Promise<string> {
  const keys = await fetchReplyKeys(o.keysUrl);
  if (keys === undefined) throw new ApiError(404, 'ERR_NOT_FOUND', '');
  if (keys.addressee === null) throw new NoAddresseeKey();
  if (keys.own === null) throw new NoOwnKey();
  const headers = { ...o.headers, 'x-csrf-token': o.csrf };
  const fileKey = generateFileKey();
  try {
    const { message, files: declared } = await sealedDraftFields(fileKey, keys.level, draft.message, files);
    o.view?.start(files);
    const created = asDraftAnswer(
      await postJson(
        o.createUrl,
        { level: keys.level, subject: draft.subject, message, files: declared },
        headers,
      ),
    );
    if (created === undefined) throw new ApiError(500, 'ERR_INTERNAL', '');
    for (const [i, file] of files.entries()) {
      const fileId = created.files[i]?.id;
      if (fileId === undefined) throw new ApiError(500, 'ERR_INTERNAL', '');
      await upload(
        o.endpoint,
        o.csrf,
        file,
        fileId,
        fileKey,
        declared[i]?.size ?? 0,
        (n) => {
          o.view?.progress(i, n);
        },
        o.headers,
      );
      o.view?.fileDone(i, file.name);
    }
    const wrap = async (publicKey: string): Promise<string> =>
      toBase64Url(await wrapFileKey(fileKey, await importPublicKey(publicKey)));
    const envelopes: {
      holder: 'sender' | 'addressee' | 'department';
      departmentKeyId?: string;
      envelope: string;
    }[] = [
      { holder: 'addressee', envelope: await wrap(keys.addressee) },
      { holder: 'sender', envelope: await wrap(keys.own) },
    ];
    for (const d of keys.departments) {
      envelopes.push({ holder: 'department', departmentKeyId: d.keyId, envelope: await wrap(d.publicKey) });
    }
    const put = await fetch(o.envelopesUrl(created.id), {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ envelopes }),
    });
    if (!put.ok)
      throw parseErrorBody(put.status, await put.text()) ?? new ApiError(put.status, 'ERR_INTERNAL', '');
    await postJson(o.sendUrl(created.id), {}, headers);
    return created.id;
  } finally {
    fileKey.fill(0);
  }
}

/**
 * The reply form of a level-3/4 message (`data-e2e-level`): this submit listener must be added
 * before the plain upload flow's (lib/upload.ts) and takes the submit over, unless the replier
 * chose level 2 because the addressee has no key (the plain flow then sends without a level,
 * which the server takes as level 2).
 */
export function enhanceEndToEndReply(
  form: HTMLFormElement,
  o: ReplyEndpoints & { doneUrl: string; noOwnKeyText: string },
): void {
  const m = messages(pageLocale());
  const field = (name: string): string => {
    const el = form.elements.namedItem(name);
    return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : '';
  };
  const status = form.parentElement?.querySelector<HTMLElement>('[data-e2e-reply-status]') ?? null;
  const fallback = form.querySelector<HTMLElement>('[data-e2e-fallback]');
  const fallbackBox = form.elements.namedItem('fallbackLevel2');
  const offerLevel2 = (text: string): void => {
    if (status !== null) status.textContent = text;
    if (fallback !== null) fallback.hidden = false;
  };
  void fetchReplyKeys(o.keysUrl).then((keys) => {
    if (keys?.addressee === null) offerLevel2(m.e2eReply.noAddresseeKey);
    else if (keys?.own === null) offerLevel2(o.noOwnKeyText);
  });
  form.addEventListener('submit', (event) => {
    if (fallbackBox instanceof HTMLInputElement && fallbackBox.checked && fallback?.hidden === false) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    clearErrors(form);
    const fail = (message: string): void => {
      showErrors(form, {
        title: m.upload.errorTitle,
        errorPrefix: m.form.errorPrefix,
        errors: [{ field: '', message }],
        headingLevel: 3,
      });
    };
    const subject = field('subject');
    const message = field('message');
    const problems = checkText(m.upload, subject, message);
    if (problems.length > 0) {
      showErrors(form, {
        title: m.upload.errorTitle,
        errorPrefix: m.form.errorPrefix,
        errors: problems,
        headingLevel: 3,
      });
      return;
    }
    const section = document.getElementById(form.dataset.progress ?? '');
    const view = section === null ? undefined : new ProgressView(section, m.upload, pageLocale());
    view?.state(m.e2eReply.encrypting);
    const files = [...(form.querySelector<HTMLInputElement>('input[type="file"]')?.files ?? [])];
    const csrf = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
    void sendReplyEndToEnd(
      { ...o, endpoint: form.dataset.uploadEndpoint ?? '', csrf, view },
      { subject: subject.trim(), message },
      files,
    )
      .then(() => {
        window.location.assign(o.doneUrl);
      })
      .catch((err: unknown) => {
        view?.state('');
        const code = err instanceof ApiError ? err.code : '';
        if (err instanceof NoAddresseeKey || code === 'ERR_REPLY_KEY_MISSING') {
          offerLevel2(m.e2eReply.noAddresseeKey);
          fail(m.e2eReply.noAddresseeKey);
        } else if (err instanceof NoOwnKey || code === 'ERR_PERSONAL_KEY_MISSING') {
          offerLevel2(o.noOwnKeyText);
          fail(o.noOwnKeyText);
        } else fail(err instanceof ApiError && err.message !== '' ? err.message : m.upload.unexpected);
      });
  });
}
