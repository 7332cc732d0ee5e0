// The staff side of a password-protected drop-off (inbound/pages.ts inboxItemPage): the password
// (told by phone) unwraps the file key here in the browser; the message is decrypted into the
// page and each file is fetched, decrypted and saved. Nothing of it goes back to the server.
import {
  decryptBytes,
  decryptStream,
  fromBase64Url,
  isCryptoError,
  unwrapFileKeyWithPassphrase,
} from '@amtsbote/crypto';
import { messages } from '../i18n/index.ts';
import { pageLocale } from './lib/upload.ts';

const form = document.getElementById('unlock');
if (form instanceof HTMLFormElement) {
  const t = messages(pageLocale()).inbound.item;
  const envelope = form.dataset.envelope ?? '';
  const transfer = form.dataset.transfer ?? '';
  const cipherMessage = form.dataset.message ?? '';
  const status = form.querySelector<HTMLElement>('[data-unlock-status]');
  const list = form.querySelector<HTMLElement>('[data-unlock-files]');
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const input = form.querySelector<HTMLInputElement>('input[name="password"]');
  if (submit !== null) submit.disabled = false;
  const say = (text: string): void => {
    if (status !== null) status.textContent = text;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      say(t.unlockWorking);
      let key: Uint8Array;
      try {
        key = await unwrapFileKeyWithPassphrase(fromBase64Url(envelope), input?.value ?? '');
      } catch (err) {
        say(isCryptoError(err) ? t.unlockWrong : String(err));
        input?.setAttribute('aria-invalid', 'true');
        input?.focus();
        return;
      }
      input?.removeAttribute('aria-invalid');
      if (cipherMessage !== '') {
        const text = new TextDecoder().decode(await decryptBytes(key, fromBase64Url(cipherMessage)));
        const target = document.querySelector<HTMLElement>('[data-decrypted-message]');
        document.querySelector<HTMLElement>('[data-encrypted-message]')?.setAttribute('hidden', '');
        if (target !== null) {
          target.replaceChildren(
            ...text
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
      }
      list?.replaceChildren();
      for (const row of document.querySelectorAll<HTMLElement>('tr[data-file-id]')) {
        const fileId = row.dataset.fileId ?? '';
        const name = row.dataset.fileName ?? 'datei';
        if (row.querySelector('a') === null) continue;
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'kern-btn kern-btn--secondary';
        const label = document.createElement('span');
        label.className = 'kern-label';
        label.textContent = t.unlockSave(name);
        button.append(label);
        button.addEventListener('click', () => {
          void (async () => {
            const res = await fetch(
              `/inbox/${encodeURIComponent(transfer)}/files/${encodeURIComponent(fileId)}`,
              { credentials: 'same-origin' },
            );
            if (!res.ok || res.body === null) return;
            const blob = await new Response(res.body.pipeThrough(decryptStream(key))).blob();
            const url = URL.createObjectURL(blob);
            const a = document.createElement('a');
            a.href = url;
            a.download = name;
            document.body.append(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 60_000);
          })();
        });
        li.append(button);
        list?.append(li);
      }
      say(t.unlockDone);
    })();
  });
}
