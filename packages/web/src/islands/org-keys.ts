// The organisation's key page (pages/org-keys.ts): an administrator with an unlocked personal
// key creates the organisation's key pair here (lib/org-keys.ts); any member holding it passes
// it on to members still waiting as soon as the page opens (key-session.ts does the same on
// every page, once a minute).
import { messages } from '../i18n/index.ts';
import { fetchKeyInfo, unlockedKey } from './lib/keystore.ts';
import { createOrganisationKey, runOrganisationShares } from './lib/org-keys.ts';
import { pageLocale } from './lib/upload.ts';

const section = document.getElementById('org-key');
if (section !== null) {
  const t = messages(pageLocale()).orgKeys;
  const orgId = section.dataset.orgId ?? '';
  const next = section.dataset.next ?? '';
  const status = section.querySelector<HTMLElement>('[data-org-key-status]');
  const action = section.querySelector<HTMLElement>('[data-org-key-action]');
  const actionLink = section.querySelector<HTMLAnchorElement>('[data-org-key-link]');
  const create = section.querySelector<HTMLButtonElement>('[data-org-key-create]');
  const say = (text: string, linkText?: string): void => {
    if (status !== null) status.textContent = text;
    if (action !== null && actionLink !== null) {
      action.hidden = linkText === undefined;
      actionLink.textContent = linkText ?? '';
      actionLink.href = `/keys?next=${encodeURIComponent(next)}`;
    }
  };

  const run = async (): Promise<void> => {
    const info = await fetchKeyInfo();
    if (info?.key == null) {
      if (create !== null || section.dataset.state === 'no-share') say(t.noPersonalKey, t.createPersonalKey);
      return;
    }
    const personal = await unlockedKey(info);
    if (personal === undefined) {
      if (create !== null || section.dataset.state === 'share') say(t.locked, t.unlock);
      return;
    }
    if (create !== null) {
      const ownPublicKey = info.key.publicKey;
      create.disabled = false;
      create.addEventListener('click', () => {
        create.disabled = true;
        say(t.creating);
        createOrganisationKey(orgId, ownPublicKey)
          .then(() => runOrganisationShares(personal))
          .then(() => {
            window.location.assign(`${next}?notice=org-key-created`);
          })
          .catch(() => {
            create.disabled = false;
            say(t.failed);
          });
      });
      return;
    }
    const shared = await runOrganisationShares(personal);
    if (shared > 0) say(t.shared(shared));
  };
  void run().catch(() => {
    say(t.failed);
  });
}
