// Opens a level-3/4 transfer in the browser (pages/keys.ts e2eOpenSection), for its recipient or
// its sender: fetches the caller's envelope, unwraps the file key with the unlocked personal key
// (never sent anywhere), decrypts the text and file names at level 4, and saves each file
// decrypted as a stream (lib/save.ts). Every decryption failure shows the one message.
import { decryptBytes, fromBase64Url, unwrapFileKey } from '@amtsbote/crypto';
import { messages } from '../i18n/index.ts';
import { holderKey } from './lib/dept-keys.ts';
import { unlockedKey } from './lib/keystore.ts';
import { organisationHolderKey } from './lib/org-keys.ts';
import { saveDecrypted, saveMethod } from './lib/save.ts';
import { pageLocale } from './lib/upload.ts';

/** What level 4 encrypts besides the files: the text and each file's name and type. */
interface Manifest {
  text: string;
  files: { name: string; type: string }[];
}

function parseManifest(bytes: Uint8Array): Manifest {
  const v = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Manifest>;
  return {
    text: typeof v.text === 'string' ? v.text : '',
    files: Array.isArray(v.files)
      ? v.files.map((f: Partial<Manifest['files'][number]>) => ({
          name: typeof f.name === 'string' ? f.name : '',
          type: typeof f.type === 'string' ? f.type : '',
        }))
      : [],
  };
}

const section = document.getElementById('e2e-open');
if (section !== null) {
  const t = messages(pageLocale()).e2eKeys.open;
  const waitingShare = messages(pageLocale()).deptKeys.open.waitingShare;
  const status = section.querySelector<HTMLElement>('[data-e2e-status]');
  const action = section.querySelector<HTMLElement>('[data-e2e-action]');
  const actionLink = section.querySelector<HTMLAnchorElement>('[data-e2e-keys-link]');
  const say = (text: string, linkText?: string): void => {
    if (status !== null) status.textContent = text;
    if (action !== null && actionLink !== null) {
      action.hidden = linkText === undefined;
      actionLink.textContent = linkText ?? '';
    }
  };

  const run = async (): Promise<void> => {
    const res = await fetch(section.dataset.envelopeUrl ?? '', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    const body = res.ok
      ? ((await res.json()) as {
          state?: string;
          envelope?: string | null;
          wrappedDepartmentKey?: string | null;
          departmentPublicKey?: string | null;
          wrappedOrganisationKey?: string | null;
          organisationPublicKey?: string | null;
        })
      : {};
    if (body.state === 'no-key') {
      say(t.noKey, t.createKey);
      return;
    }
    if (body.state === 'no-share') {
      say(messages(pageLocale()).orgKeys.openNoShare);
      return;
    }
    if (body.state === 'waiting' || typeof body.envelope !== 'string') {
      say(section.dataset.holder === 'department' ? waitingShare : t.waiting);
      return;
    }
    const keyPair = await unlockedKey();
    if (keyPair === undefined) {
      say(t.locked, t.unlockKey);
      return;
    }
    say(t.opening);
    let fileKey: Uint8Array;
    try {
      // An envelope for a department key opens with the caller's share of that key.
      // In an organisation's postbox, with the member's share of the organisation's key.
      const holder = (await organisationHolderKey(keyPair, body)) ?? (await holderKey(keyPair, body));
      fileKey = await unwrapFileKey(fromBase64Url(body.envelope), holder);
    } catch {
      {
        say(t.failed);
        return;
      }
    }
    const rows = [...section.querySelectorAll<HTMLElement>('[data-e2e-file]')];
    if (section.dataset.level === '4') {
      let manifest: Manifest;
      try {
        manifest = parseManifest(await decryptBytes(fileKey, fromBase64Url(section.dataset.message ?? '')));
      } catch {
        {
          say(t.failed);
          return;
        }
      }
      const target = section.querySelector<HTMLElement>('[data-e2e-message]');
      target?.replaceChildren(
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
      rows.forEach((row, i) => {
        const name = manifest.files[i]?.name;
        if (name === undefined) return;
        row.dataset.name = name;
        const cell = row.querySelector('[data-e2e-name]');
        if (cell) cell.textContent = name;
        const label = row.querySelector('[data-e2e-save] .kern-label');
        if (label) label.textContent = t.save(name);
      });
    }
    if (saveMethod() === 'none') {
      say(t.noStreaming);
      return;
    }
    for (const row of rows) {
      const button = row.querySelector<HTMLButtonElement>('[data-e2e-save]');
      if (button === null) continue;
      button.disabled = false;
      button.addEventListener('click', () => {
        const name = row.dataset.name ?? 'file';
        button.disabled = true;
        say(t.saving(name));
        saveDecrypted(row.dataset.href ?? '', name, fileKey)
          .then(() => {
            say(t.saved(name));
          })
          .catch(() => {
            say(t.failed);
          })
          .finally(() => {
            button.disabled = false;
          });
      });
    }
    say(t.opened);
  };
  void run().catch(() => {
    say(t.failed);
  });
}
