// The upload half shared by the compose and reply islands: check the files against the
// tenant's limits before anything is sent, create the draft (or continue the one a reload
// interrupted), upload each file with tus — one PATCH per file, resumed from the server's own
// offset after a break — with progress, pause and resume, then send.
import type { DetailedError, PreviousUpload } from 'tus-js-client';
import { Upload, defaultOptions } from 'tus-js-client';
import { formatBytes } from '../../format.ts';
import { messages } from '../../i18n/index.ts';
import type { Locale } from '@amtsbote/contracts';
import type { DraftAnswer } from './api.ts';
import { ApiError, NetworkError, asDraftAnswer, parseErrorBody, postJson } from './api.ts';
import type { FieldMessage } from './errors.ts';
import { clearErrors, showErrors } from './errors.ts';
import { ProgressView } from './progress.ts';
import { checkFiles, fieldMessages, readLimits } from './rules.ts';

/** A draft the server forgets after two days (DRAFT_LIFETIME_MS); older records are useless. */
const DRAFT_MAX_AGE_MS = 2 * 24 * 60 * 60 * 1000;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000];
const STORE_PREFIX = 'amtsbote:draft:';

export function pageLocale(): Locale {
  return document.documentElement.lang === 'en' ? 'en' : 'de';
}

// ---- Remembering a draft across a reload -------------------------------------------------------

interface StoredDraft {
  id: string;
  fileIds: string[];
  /** SHA-256 of a salt and everything but the files (recipients, text, options). */
  meta: string;
  salt: string;
  savedAt: number;
}

async function sha256(text: string): Promise<string | undefined> {
  // WebCrypto exists only in secure contexts (https, localhost); without it nothing is kept.
  if (typeof crypto === 'undefined' || typeof crypto.subtle === 'undefined') return undefined;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The key under which a draft is kept: a hash of the scope and of each chosen file's name,
 * size and modification time — so choosing the same files again after a reload finds it, and
 * the names themselves are not written into the browser's storage.
 */
async function draftKey(scope: string, files: readonly File[]): Promise<string | undefined> {
  const fp = await sha256(JSON.stringify([scope, files.map((f) => [f.name, f.size, f.lastModified])]));
  return fp === undefined ? undefined : `${STORE_PREFIX}${fp}`;
}

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function loadDraft(key: string): StoredDraft | undefined {
  const raw = storage()?.getItem(key);
  if (raw === null || raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<StoredDraft>;
    if (
      typeof v.id === 'string' &&
      Array.isArray(v.fileIds) &&
      typeof v.meta === 'string' &&
      typeof v.salt === 'string' &&
      typeof v.savedAt === 'number'
    ) {
      return { id: v.id, fileIds: v.fileIds.map(String), meta: v.meta, salt: v.salt, savedAt: v.savedAt };
    }
  } catch {
    // Unreadable: treated as absent.
  }
  storage()?.removeItem(key);
  return undefined;
}

function saveDraft(key: string, draft: StoredDraft): void {
  try {
    storage()?.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or forbidden: the upload works, it just cannot survive a reload.
  }
}

function forgetDraft(key: string | undefined): void {
  if (key !== undefined) storage()?.removeItem(key);
}

function randomSalt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- The upload run ------------------------------------------------------------------------------

/** The draft is gone on the server (expired, sent, or never ours): start again. */
class DraftGone extends Error {}

/** An error the user cannot fix by trying again (e.g. the form expired). */
class FatalUploadError extends Error {}

function statusOf(err: Error): number | undefined {
  return (err as Partial<DetailedError>).originalResponse?.getStatus();
}

function messageOf(err: Error, fallback: string): string {
  const body = (err as Partial<DetailedError>).originalResponse?.getBody();
  const status = statusOf(err) ?? 0;
  const parsed = body === undefined ? undefined : parseErrorBody(status, body);
  return parsed !== undefined && parsed.message !== '' ? parsed.message : fallback;
}

/** What one form needs to run the whole flow. */
export interface UploadFormOptions {
  form: HTMLFormElement;
  /** Separates drafts of different forms (and links) in the browser's storage. */
  scope: string;
  /** Headings in the page outline the error summary sits under. */
  headingLevel: 2 | 3;
  /** Extra headers for every request (the reply's link). */
  headers: Readonly<Record<string, string>>;
  /** Reads and checks the fields other than the files; returns the draft body without files. */
  collect(): { body: Record<string, unknown>; problems: FieldMessage[] };
  createUrl: string;
  sendUrl(draftId: string): string;
  /** Where to go once sent. */
  doneUrl(draftId: string): string;
}

/**
 * Takes over a form that needs JavaScript: enables it, hides the note that says so, shows the
 * chosen files, and on submit runs check → draft → uploads → send.
 */
export function enhanceUploadForm(o: UploadFormOptions): void {
  const { form } = o;
  const locale = pageLocale();
  const m = messages(locale);
  const t = m.upload;
  const csrf = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  const endpoint = form.dataset.uploadEndpoint ?? '';
  const fileInput = form.querySelector<HTMLInputElement>('input[type="file"]');
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const section = document.getElementById(form.dataset.progress ?? '');
  if (fileInput === null || submit === null || section === null || endpoint === '') return;
  const view = new ProgressView(section, t, locale);
  const headers = { 'x-csrf-token': csrf, ...o.headers };
  const selection = form.querySelector<HTMLElement>('[data-upload-selection]');

  for (const note of document.querySelectorAll<HTMLElement>('[data-needs-js]')) note.hidden = true;
  submit.disabled = false;

  const chosen = (): File[] => [...(fileInput.files ?? [])];
  fileInput.addEventListener('change', () => {
    const files = chosen();
    if (selection !== null) {
      selection.textContent =
        files.length === 0
          ? ''
          : t.selected(
              m.transfers.fileCount(files.length),
              formatBytes(
                files.reduce((s, f) => s + f.size, 0),
                locale,
              ),
            );
    }
  });

  let running = false;
  window.addEventListener('beforeunload', (event) => {
    if (running) event.preventDefault();
  });

  const controls = (): (HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | HTMLButtonElement)[] =>
    [...form.elements].filter(
      (e): e is HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | HTMLButtonElement =>
        e instanceof HTMLInputElement ||
        e instanceof HTMLTextAreaElement ||
        e instanceof HTMLSelectElement ||
        e instanceof HTMLButtonElement,
    );
  const lock = (locked: boolean): void => {
    for (const c of controls())
      if (!(c instanceof HTMLInputElement && c.type === 'hidden')) c.disabled = locked;
  };
  const fail = (errors: FieldMessage[], title = t.errorTitle): void => {
    running = false;
    lock(false);
    showErrors(form, { title, errorPrefix: m.form.errorPrefix, errors, headingLevel: o.headingLevel });
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (running) return;
    clearErrors(form);
    const files = chosen();
    const { body, problems } = o.collect();
    const all = [...problems, ...checkFiles(files, readLimits(form), locale)];
    if (all.length > 0) {
      fail(all);
      return;
    }
    running = true;
    lock(true);
    const declared = files.map((f) => ({ name: f.name, size: f.size, type: f.type }));
    run(files, { ...body, files: declared }).catch((err: unknown) => {
      if (err instanceof ApiError) {
        const fields = fieldMessages(err.fields, files, locale);
        fail(
          fields.length > 0
            ? fields
            : [{ field: '', message: err.message === '' ? t.unexpected : err.message }],
        );
      } else if (err instanceof NetworkError) {
        fail([{ field: '', message: t.network }], t.failedTitle);
      } else if (err instanceof DraftGone) {
        fail([{ field: '', message: t.draftGone }], t.failedTitle);
      } else if (err instanceof FatalUploadError) {
        fail([{ field: '', message: err.message }], t.failedTitle);
      } else {
        fail([{ field: '', message: t.unexpected }], t.failedTitle);
      }
      view.pauseButton.hidden = true;
      view.state('');
    });
  });

  async function createDraft(body: Record<string, unknown>): Promise<DraftAnswer> {
    const answer = asDraftAnswer(await postJson(o.createUrl, body, headers));
    if (answer === undefined) throw new ApiError(500, 'ERR_INTERNAL', t.unexpected);
    return answer;
  }

  async function run(files: File[], body: Record<string, unknown>): Promise<void> {
    view.start(files);
    view.state(t.preparing);
    const key = await draftKey(o.scope, files);
    const metaText = JSON.stringify({ ...body, files: undefined });
    const stored = key === undefined ? undefined : loadDraft(key);
    let draft: { id: string; fileIds: string[] } | undefined;
    if (
      stored !== undefined &&
      Date.now() - stored.savedAt < DRAFT_MAX_AGE_MS &&
      stored.fileIds.length === files.length &&
      stored.meta === (await sha256(stored.salt + metaText))
    ) {
      draft = { id: stored.id, fileIds: stored.fileIds };
      view.state(t.continuing);
    } else {
      forgetDraft(key);
    }
    try {
      if (draft === undefined) throw new DraftGone();
      await uploadAll(files, draft.fileIds);
    } catch (err) {
      if (!(err instanceof DraftGone)) throw err;
      // No usable draft (or the stored one is gone on the server): create a fresh one.
      forgetDraft(key);
      view.start(files);
      const created = await createDraft(body);
      draft = { id: created.id, fileIds: created.files.map((f) => f.id) };
      if (key !== undefined) {
        const salt = randomSalt();
        const meta = await sha256(salt + metaText);
        if (meta !== undefined) saveDraft(key, { ...draft, meta, salt, savedAt: Date.now() });
      }
      view.state('');
      await uploadAll(files, draft.fileIds);
    }
    view.pauseButton.hidden = true;
    view.state(t.sending);
    view.announce(t.sending);
    await postJson(o.sendUrl(draft.id), {}, headers);
    forgetDraft(key);
    await forgetUploads(draft.fileIds);
    running = false;
    window.location.assign(o.doneUrl(draft.id));
  }

  const fingerprintOf = (fileId: string): string => `amtsbote-upload-${fileId}`;

  async function forgetUploads(fileIds: readonly string[]): Promise<void> {
    const store = defaultOptions.urlStorage;
    for (const id of fileIds) {
      const previous = await store
        .findUploadsByFingerprint(fingerprintOf(id))
        .catch(() => [] as PreviousUpload[]);
      for (const p of previous) await store.removeUpload(p.urlStorageKey).catch(() => undefined);
    }
  }

  async function uploadAll(files: readonly File[], fileIds: readonly string[]): Promise<void> {
    for (const [i, file] of files.entries()) {
      const fileId = fileIds[i];
      if (fileId === undefined) throw new DraftGone();
      // An empty file has nothing to send: the server counts it complete as declared.
      if (file.size > 0) await uploadOne(i, file, fileId);
      view.fileDone(i, file.name);
    }
  }

  function uploadOne(index: number, file: File, fileId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let paused = false;
      let failed = false;
      const button = view.pauseButton;
      const setButton = (label: string): void => {
        const span = button.querySelector('.kern-label');
        if (span !== null) span.textContent = label;
        button.hidden = false;
      };
      const upload = new Upload(file, {
        endpoint,
        metadata: { fileId },
        headers,
        // One PATCH for the whole file: per-request overhead costs throughput. After a break
        // tus asks the server for its offset (HEAD) and sends only the rest.
        chunkSize: Infinity,
        retryDelays: RETRY_DELAYS,
        // Keyed by the server's file id, so a reload that continues the draft finds the upload.
        fingerprint: () => Promise.resolve(fingerprintOf(fileId)),
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: false,
        onProgress: (sent) => {
          view.progress(index, sent);
        },
        onSuccess: () => {
          button.onclick = null;
          resolve();
        },
        onError: (err) => {
          const status = statusOf(err);
          if (status === 404 || status === 410) {
            reject(new DraftGone());
            return;
          }
          if (status !== undefined && status >= 400 && status < 500 && status !== 409 && status !== 423) {
            reject(new FatalUploadError(messageOf(err, t.uploadFailed(file.name))));
            return;
          }
          // Retries are used up (offline for a while): keep what arrived, let the user go on.
          failed = true;
          view.resetSpeed();
          view.state(t.uploadFailed(file.name));
          view.announce(t.uploadFailed(file.name));
          setButton(t.retry);
        },
      });
      button.onclick = () => {
        if (failed || paused) {
          failed = false;
          paused = false;
          setButton(t.pause);
          view.state('');
          view.announce(t.announceResumed);
          upload.start();
        } else {
          paused = true;
          void upload.abort();
          view.resetSpeed();
          setButton(t.resume);
          view.state(t.paused);
          view.announce(t.announcePaused);
        }
      };
      setButton(t.pause);
      upload
        .findPreviousUploads()
        .then((previous) => {
          const last = previous.at(-1);
          if (last !== undefined) upload.resumeFromPreviousUpload(last);
          upload.start();
        })
        .catch((err: unknown) => {
          reject(err instanceof Error ? err : new Error(String(err)));
        });
    });
  }
}
