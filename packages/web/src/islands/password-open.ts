// Opens an answer to a password drop-off (pages/password-open.ts) for its recipient, who has no
// account: the password they chose when sending unwraps the file key from the P envelope here
// (Argon2id, hash-wasm); the level-4 manifest gives the text and the file names; each file is
// saved decrypted as a stream (lib/save.ts, as e2e-open.ts does). A wrong password unwraps
// nothing, so nothing is decrypted or saved; it gets the one message.
import { decryptBytes, fromBase64Url, isCryptoError, unwrapFileKeyWithPassphrase } from '@amtsbote/crypto';
import { messages } from '../i18n/index.ts';
import { clearErrors, showErrors } from './lib/errors.ts';
import { saveDecrypted, saveMethod } from './lib/save.ts';
import { pageLocale } from './lib/upload.ts';

/** The level-4 manifest (lib/e2e-send.ts, lib/password-send.ts): the text and the file names. */
interface Manifest {
  text: string;
  files: { name: string }[];
}

function parseManifest(bytes: Uint8Array): Manifest {
  const v = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Manifest>;
  return {
    text: typeof v.text === 'string' ? v.text : '',
    files: Array.isArray(v.files)
      ? v.files.map((f: Partial<Manifest['files'][number]>) => ({
          name: typeof f.name === 'string' ? f.name : '',
        }))
      : [],
  };
}

const section = document.getElementById('password-open');
const form = document.getElementById('password-open-form');
if (section !== null && form instanceof HTMLFormElement) {
  const m = messages(pageLocale());
  const t = m.passwordAnswer.open;
  const e = m.e2eKeys.open;
  const envelope = section.dataset.envelope ?? '';
  const cipherMessage = section.dataset.message ?? '';
  const status = section.querySelector<HTMLElement>('[data-password-status]');
  const input = form.querySelector<HTMLInputElement>('input[name="password"]');
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const rows = [...section.querySelectorAll<HTMLElement>('[data-password-file]')];
  if (submit !== null) submit.disabled = false;
  const say = (text: string): void => {
    if (status !== null) status.textContent = text;
  };
  const fail = (message: string): void => {
    say('');
    showErrors(form, {
      title: t.errorTitle,
      errorPrefix: m.form.errorPrefix,
      errors: [{ field: 'password', message }],
      headingLevel: 3,
    });
  };

  const open = async (password: string): Promise<void> => {
    let fileKey: Uint8Array;
    try {
      fileKey = await unwrapFileKeyWithPassphrase(fromBase64Url(envelope), password);
    } catch (err) {
      if (!isCryptoError(err)) throw err;
      fail(t.wrong);
      return;
    }
    let manifest: Manifest;
    try {
      manifest =
        cipherMessage === ''
          ? { text: '', files: [] }
          : parseManifest(await decryptBytes(fileKey, fromBase64Url(cipherMessage)));
    } catch {
      fail(e.failed);
      return;
    }
    clearErrors(form);
    if (input !== null) input.value = '';
    form.hidden = true;
    const target = section.querySelector<HTMLElement>('[data-password-message]');
    if (target !== null) {
      target.replaceChildren(
        ...manifest.text
          .split(/\n{2,}/)
          .filter((p) => p.trim() !== '')
          .map((p) => {
            const el = document.createElement('p');
            el.className = 'kern-body ab-message';
            el.textContent = p;
            return el;
          }),
      );
      target.hidden = false;
    }
    rows.forEach((row, i) => {
      const name = manifest.files[i]?.name;
      if (name === undefined || name === '') return;
      row.dataset.name = name;
      const cell = row.querySelector('[data-password-name]');
      if (cell) cell.textContent = name;
      const label = row.querySelector('[data-password-save] .kern-label');
      if (label) label.textContent = e.save(name);
    });
    if (saveMethod() === 'none') {
      say(e.noStreaming);
      return;
    }
    for (const row of rows) {
      const button = row.querySelector<HTMLButtonElement>('[data-password-save]');
      if (button === null) continue;
      button.disabled = false;
      button.addEventListener('click', () => {
        const name = row.dataset.name ?? 'datei';
        button.disabled = true;
        say(e.saving(name));
        saveDecrypted(row.dataset.href ?? '', name, fileKey)
          .then(() => {
            say(e.saved(name));
          })
          .catch(() => {
            say(e.failed);
          })
          .finally(() => {
            button.disabled = false;
          });
      });
    }
    say(e.opened);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    const password = input?.value ?? '';
    if (password === '') {
      fail(t.missing);
      return;
    }
    if (submit !== null) submit.disabled = true;
    say(t.working);
    open(password)
      .catch(() => {
        fail(e.failed);
      })
      .finally(() => {
        if (submit !== null) submit.disabled = false;
      });
  });
}
