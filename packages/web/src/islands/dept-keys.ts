// The department keys page (pages/dept-keys.ts): makes the department's key pair here, wraps the
// private scalar for every member who has a personal key, and stores only the public key and
// those shares. The scalar is zeroed afterwards and never sent anywhere.
import { toBase64Url } from '@amtsbote/crypto';
import { messages } from '../i18n/index.ts';
import { newGroupKey, wrapGroupScalar } from './lib/group-key.ts';
import { pageCsrf } from './lib/keystore.ts';
import { pageLocale } from './lib/upload.ts';

interface Member {
  staffId: string;
  publicKey: string | null;
}

function isMember(v: unknown): v is Member {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Member).staffId === 'string' &&
    ((v as Member).publicKey === null || typeof (v as Member).publicKey === 'string')
  );
}

const root = document.getElementById('dept-key');
const button = root?.querySelector<HTMLButtonElement>('[data-dept-key-create]');
if (root && button) {
  const t = messages(pageLocale()).deptKeys.island;
  const status = root.querySelector<HTMLElement>('[data-dept-key-status]');
  const say = (text: string): void => {
    if (status !== null) status.textContent = text;
  };
  const api = `/api/v1/departments/${encodeURIComponent(root.dataset.department ?? '')}/key`;

  const create = async (): Promise<void> => {
    say(t.working);
    const res = await fetch(`${api}/members`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(String(res.status));
    const body: unknown = await res.json();
    const list =
      typeof body === 'object' && body !== null && Array.isArray((body as { members?: unknown }).members)
        ? (body as { members: unknown[] }).members.filter(isMember)
        : [];
    const holders = list.filter((m): m is Member & { publicKey: string } => m.publicKey !== null);
    if (holders.length === 0) {
      say(t.noHolders);
      return;
    }
    const key = await newGroupKey();
    try {
      const shares = await Promise.all(
        holders.map(async (m) => ({
          staffId: m.staffId,
          memberPublicKey: m.publicKey,
          wrappedPrivateKey: toBase64Url(await wrapGroupScalar(key.scalar, m.publicKey)),
        })),
      );
      const put = await fetch(api, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': pageCsrf() },
        body: JSON.stringify({ publicKey: key.publicKey, shares }),
      });
      if (!put.ok) throw new Error(String(put.status));
    } finally {
      key.scalar.fill(0);
    }
    say(t.done(holders.length));
    window.location.reload();
  };

  button.disabled = false;
  button.addEventListener('click', () => {
    if (root.dataset.replace === '1' && !window.confirm(t.confirmReplace)) return;
    button.disabled = true;
    create()
      .catch(() => {
        say(t.failed);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}
