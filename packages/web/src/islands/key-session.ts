// On every signed-in page: forgets an unlocked key that belongs to another session (so signing
// out clears it at the next page at the latest, and signing out of this browser's session
// clears it before the form is sent), and, for staff with an unlocked key, completes deliveries in
// the background: recipients who created a key since get the file key re-wrapped for them.
import { fetchKeyInfo, forgetKey, hasStoredKey, runRewraps, unlockedKey } from './lib/keystore.ts';

const POLL_MS = 60_000;

async function tick(): Promise<void> {
  if (!(await hasStoredKey())) return;
  const info = await fetchKeyInfo();
  if (info === undefined) {
    await forgetKey();
    return;
  }
  const kp = await unlockedKey(info);
  // Only staff have transfers to complete; for a service account the API answers 401 (nothing).
  if (kp !== undefined) await runRewraps(kp);
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
