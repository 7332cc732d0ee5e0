// On every signed-in page: forgets an unlocked key that belongs to another session (so signing
// out clears it at the next page at the latest, and signing out of this browser's session
// clears it before the form is sent), and, for staff with an unlocked key, completes deliveries in
// the background: recipients who created a key since get the file key re-wrapped for them.
import { runDepartmentShares } from './lib/dept-keys.ts';
import { fetchKeyInfo, forgetKey, hasStoredKey, runRewraps, unlockedKey } from './lib/keystore.ts';
import { runOrganisationShares } from './lib/org-keys.ts';

const POLL_MS = 60_000;

async function tick(): Promise<void> {
  if (!(await hasStoredKey())) return;
  const info = await fetchKeyInfo();
  if (info === undefined) {
    await forgetKey();
    return;
  }
  const kp = await unlockedKey(info);
  if (kp === undefined) return;
  // Only staff have transfers to complete and department keys to pass on; only service accounts
  // are organisation members, who pass the organisation's key on to members confirmed since.
  // Asking the other kind's routes would only collect 401s in the console.
  if (info.holder === 'staff') {
    await runDepartmentShares(kp);
    await runRewraps(kp);
  } else {
    await runOrganisationShares(kp);
  }
}

// Signing out: the key goes before the form is sent.
for (const form of document.querySelectorAll<HTMLFormElement>(
  'form[action="/logout"], form[action="/logout/all"]',
)) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void forgetKey().finally(() => {
      form.submit();
    });
  });
}

void tick();
setInterval(() => {
  void tick();
}, POLL_MS);
