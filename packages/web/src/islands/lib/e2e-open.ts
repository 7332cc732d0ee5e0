// Opening a level-3/4 message in the browser, shared by the open section of a received or sent
// transfer (islands/e2e-open.ts) and the replier's own sent replies in a thread
// (islands/own-reply.ts): fetch the caller's envelope, unwrap the file key with the unlocked
// personal key (or the caller's share of a department's or organisation's key), decrypt text and
// file names at level 4, and save each file decrypted as a stream (lib/save.ts). Every
// decryption failure shows the one message; the key never leaves the browser.
import { decryptBytes, fromBase64Url, unwrapFileKey } from '@amtsbote/crypto';
import { messages } from '../../i18n/index.ts';
import { holderKey } from './dept-keys.ts';
import { unlockedKey } from './keystore.ts';
import { organisationHolderKey } from './org-keys.ts';
import { saveDecrypted, saveMethod } from './save.ts';
import { pageLocale } from './upload.ts';

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

/** Shows a state in the root's status line, with the keys link when there is something to do. */
export function statusOf(root: HTMLElement): (text: string, linkText?: string) => void {
  const status = root.querySelector<HTMLElement>('[data-e2e-status]');
  const action = root.querySelector<HTMLElement>('[data-e2e-action]');
  const actionLink = root.querySelector<HTMLAnchorElement>('[data-e2e-keys-link]');
  return (text, linkText) => {
    if (status !== null) status.textContent = text;
    if (action !== null && actionLink !== null) {
      action.hidden = linkText === undefined;
      actionLink.textContent = linkText ?? '';
    }
  };
}

/**
 * Opens what `root` describes (`data-envelope-url`, `data-level`, `data-message`, rows with
 * `data-e2e-file`) and enables its save buttons. `openedText` is said once it is open.
 * @returns whether it opened (false: a state was shown instead, or the one decryption error)
 */
export async function openEndToEnd(root: HTMLElement, openedText?: string): Promise<boolean> {
  const m = messages(pageLocale());
  const t = m.e2eKeys.open;
  const say = statusOf(root);
  const res = await fetch(root.dataset.envelopeUrl ?? '', {
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
    return false;
  }
  if (body.state === 'no-share') {
    say(m.orgKeys.openNoShare);
    return false;
  }
  // The replier's own copy, made for a personal key since replaced: nothing can open it.
  if (body.state === 'other-key') {
    say(m.ownReply.otherKey);
    return false;
  }
  if (body.state === 'waiting' || typeof body.envelope !== 'string') {
    say(root.dataset.holder === 'department' ? m.deptKeys.open.waitingShare : t.waiting);
    return false;
  }
  const keyPair = await unlockedKey();
  if (keyPair === undefined) {
    say(t.locked, t.unlockKey);
    return false;
  }
  say(t.opening);
  let fileKey: Uint8Array;
  try {
    // An envelope for a department key opens with the caller's share of that key.
    // In an organisation's postbox, with the member's share of the organisation's key.
    const holder = (await organisationHolderKey(keyPair, body)) ?? (await holderKey(keyPair, body));
    fileKey = await unwrapFileKey(fromBase64Url(body.envelope), holder);
  } catch {
    say(t.failed);
    return false;
  }
  const rows = [...root.querySelectorAll<HTMLElement>('[data-e2e-file]')];
  if (root.dataset.level === '4') {
    let manifest: Manifest;
    try {
      manifest = parseManifest(await decryptBytes(fileKey, fromBase64Url(root.dataset.message ?? '')));
    } catch {
      say(t.failed);
      return false;
    }
    const target = root.querySelector<HTMLElement>('[data-e2e-message]');
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
    return true;
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
  say(openedText ?? t.opened);
  return true;
}
