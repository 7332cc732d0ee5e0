// The drop-off / upload-link message form (inbound/pages.ts inboundComposePage). Without a
// password (and for upload links below level 3) it is the shared upload flow: draft, tus uploads,
// submit. With a password, or for a level-3/4 upload link, everything is encrypted here first
// (docs/crypto.md): one file key, a stream per file, the key wrapped to the password (Argon2id)
// or to the department's public key; the server stores what it cannot read.
import type { DetailedError } from 'tus-js-client';
import { Upload } from 'tus-js-client';
import {
  ciphertextLength,
  encryptBytes,
  encryptStream,
  generateFileKey,
  importPublicKey,
  toBase64Url,
  wrapFileKey,
  wrapFileKeyWithPassphrase,
} from '@amtsbote/crypto';
import { messages } from '../i18n/index.ts';
import { sniffTypes, typeList } from '@amtsbote/contracts';
import { ApiError, NetworkError, asDraftAnswer, parseErrorBody, postJson } from './lib/api.ts';
import type { FieldMessage } from './lib/errors.ts';
import { clearErrors, showErrors } from './lib/errors.ts';
import { ProgressView } from './lib/progress.ts';
import { checkFiles, checkText, fieldMessages, readLimits } from './lib/rules.ts';
import { enhanceUploadForm, pageLocale } from './lib/upload.ts';

const MIN_PASSWORD = 10;
const CHUNK = 8 * 1024 * 1024;

const form = document.getElementById('inbound');
if (form instanceof HTMLFormElement) {
  const locale = pageLocale();
  const m = messages(locale);
  const t = m.inbound.compose;
  const session = form.dataset.session ?? '';
  const types = (form.dataset.types ?? '').split(',').filter((s) => s !== '');
  const publicKey = form.dataset.publicKey ?? '';
  const e2eMessage = form.dataset.e2eMessage === '1';
  const csrf = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  const fileInput = form.querySelector<HTMLInputElement>('input[type="file"]');
  const base = `/api/v1/inbound/${encodeURIComponent(session)}`;
  const doneUrl = `/inbound/${encodeURIComponent(session)}/done`;
  const value = (name: string): string => {
    const el = form.elements.namedItem(name);
    return el instanceof HTMLInputElement ||
      el instanceof HTMLTextAreaElement ||
      el instanceof HTMLSelectElement
      ? el.value
      : '';
  };
  const checked = (name: string): boolean => {
    const el = form.elements.namedItem(name);
    return el instanceof HTMLInputElement && el.checked;
  };
  if (types.length > 0)
    fileInput?.setAttribute(
      'accept',
      types.flatMap((id) => (id === 'jpeg' ? ['.jpg', '.jpeg'] : [`.${id}`])).join(','),
    );

  // The first bytes of each chosen file, looked at as soon as it is chosen: a file of the wrong
  // kind is refused before anything is sent (the server checks again, authoritatively).
  const sniffed = new Map<File, string[]>();
  const sniff = async (files: readonly File[]): Promise<void> => {
    for (const f of files) {
      if (!sniffed.has(f)) sniffed.set(f, sniffTypes(new Uint8Array(await f.slice(0, 1024).arrayBuffer())));
    }
  };
  fileInput?.addEventListener('change', () => {
    void sniff([...(fileInput.files ?? [])]);
  });
  const typeProblems = (files: readonly File[]): FieldMessage[] =>
    types.length === 0
      ? []
      : files
          .filter((f) => {
            const found = sniffed.get(f);
            return found !== undefined && !found.some((id) => types.includes(id));
          })
          .map((f) => ({ field: 'files', message: t.typeRefused(f.name, typeList(types)) }));

  const common = (): { body: Record<string, unknown>; problems: FieldMessage[] } => {
    const subject = value('subject');
    const message = value('message');
    const files = [...(fileInput?.files ?? [])];
    const days = Number(value('expiresInDays'));
    return {
      problems: [...checkText(m.upload, subject, message), ...typeProblems(files)],
      body: {
        subject: subject.trim(),
        reference: value('reference').trim(),
        message,
        ...(Number.isInteger(days) && days > 0 ? { expiresInDays: days } : {}),
        notify: checked('notify'),
      },
    };
  };

  // ---- End-to-end: password or department key ----
  const e2eWanted = (): boolean => publicKey !== '' || value('password') !== '';
  form.addEventListener('submit', (event) => {
    if (!e2eWanted()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    void runEncrypted();
  });

  enhanceUploadForm({
    form,
    scope: `inbound:${session}`,
    headingLevel: 2,
    headers: {},
    createUrl: `${base}/drafts`,
    sendUrl: (id) => `${base}/drafts/${encodeURIComponent(id)}/submit`,
    doneUrl: () => doneUrl,
    collect: () => {
      const c = common();
      return { problems: c.problems, body: { ...c.body, password: false } };
    },
  });

  const section = document.getElementById(form.dataset.progress ?? '');
  const view = section === null ? undefined : new ProgressView(section, m.upload, locale);
  let running = false;

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
  const fail = (errors: FieldMessage[], title = m.upload.errorTitle): void => {
    running = false;
    lock(false);
    showErrors(form, { title, errorPrefix: m.form.errorPrefix, errors, headingLevel: 2 });
  };

  async function runEncrypted(): Promise<void> {
    if (running) return;
    clearErrors(form as HTMLFormElement);
    const files = [...(fileInput?.files ?? [])];
    await sniff(files);
    const c = common();
    const problems = [...c.problems, ...checkFiles(files, readLimits(form as HTMLFormElement), locale)];
    const password = value('password');
    if (publicKey === '') {
      if (password.length < MIN_PASSWORD) problems.push({ field: 'password', message: t.passwordTooShort });
      else if (password !== value('passwordConfirm'))
        problems.push({ field: 'passwordConfirm', message: t.passwordMismatch });
      if (!checked('passwordKept')) problems.push({ field: 'passwordKept', message: t.passwordNotKept });
    }
    if (problems.length > 0) {
      fail(problems);
      return;
    }
    running = true;
    lock(true);
    try {
      view?.start(files);
      view?.state(t.encrypting);
      const fileKey = generateFileKey();
      const message = value('message');
      // Level 4 to a department key: text and file names travel as the encrypted manifest that
      // e2e-open.ts reads (docs/crypto.md, "Levels 3 and 4"); declared names are placeholders.
      const manifest = publicKey !== '' && e2eMessage;
      const plainMessage = manifest
        ? JSON.stringify({ text: message, files: files.map((f) => ({ name: f.name, type: f.type })) })
        : message;
      const messageField =
        (publicKey === '' || e2eMessage) && plainMessage !== ''
          ? toBase64Url(await encryptBytes(fileKey, new TextEncoder().encode(plainMessage)))
          : message;
      const declared = files.map((f, i) =>
        manifest
          ? { name: `${String(i + 1)}.amtb`, size: ciphertextLength(f.size), type: '' }
          : { name: f.name, size: ciphertextLength(f.size), type: f.type },
      );
      const draft = asDraftAnswer(
        await postJson(
          `${base}/drafts`,
          {
            ...c.body,
            message: messageField,
            files: declared,
            ...(publicKey === '' ? { password: true } : {}),
          },
          { 'x-csrf-token': csrf },
        ),
      );
      if (draft === undefined) throw new ApiError(500, 'ERR_INTERNAL', m.upload.unexpected);
      for (const [i, file] of files.entries()) {
        const fileId = draft.files[i]?.id;
        if (fileId === undefined) throw new ApiError(500, 'ERR_INTERNAL', m.upload.unexpected);
        await uploadEncrypted(i, file, fileId, fileKey, declared[i]?.size ?? 0);
        view?.fileDone(i, file.name);
      }
      view?.state(m.upload.sending);
      const envelope =
        publicKey === ''
          ? await wrapFileKeyWithPassphrase(fileKey, password)
          : await wrapFileKey(fileKey, await importPublicKey(publicKey));
      fileKey.fill(0);
      await postJson(
        `${base}/submit`,
        { draftId: draft.id, envelope: toBase64Url(envelope) },
        { 'x-csrf-token': csrf },
      );
      running = false;
      window.location.assign(doneUrl);
    } catch (err) {
      view?.state('');
      if (err instanceof ApiError) {
        const fields = fieldMessages(err.fields, files, locale);
        fail(
          fields.length > 0
            ? fields
            : [{ field: '', message: err.message === '' ? m.upload.unexpected : err.message }],
        );
      } else if (err instanceof NetworkError) {
        fail([{ field: '', message: m.upload.network }], m.upload.failedTitle);
      } else {
        fail(
          [{ field: '', message: err instanceof UploadFailed ? err.message : t.sendFailed }],
          m.upload.failedTitle,
        );
      }
    }
  }

  class UploadFailed extends Error {}

  function uploadEncrypted(
    index: number,
    file: File,
    fileId: string,
    fileKey: Uint8Array,
    size: number,
  ): Promise<void> {
    const reader = file.stream().pipeThrough(encryptStream(fileKey)).getReader();
    return new Promise<void>((resolve, reject) => {
      const upload = new Upload(reader, {
        endpoint: form?.dataset.uploadEndpoint ?? '',
        uploadSize: size,
        chunkSize: CHUNK,
        metadata: { fileId },
        headers: { 'x-csrf-token': csrf },
        retryDelays: [0, 1000, 3000, 5000],
        storeFingerprintForResuming: false,
        onProgress: (sent) => {
          // Ciphertext is a little longer than the file: show the file's share of it.
          view?.progress(index, Math.floor((sent / Math.max(size, 1)) * file.size));
        },
        onSuccess: () => {
          resolve();
        },
        onError: (err) => {
          const res = (err as Partial<DetailedError>).originalResponse;
          const parsed =
            res === undefined || res === null ? undefined : parseErrorBody(res.getStatus(), res.getBody());
          reject(parsed ?? new UploadFailed(m.upload.uploadFailed(file.name)));
        },
      });
      upload.start();
    });
  }
}
