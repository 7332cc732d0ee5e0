// A level-3/4 reply the caller sent, in the thread of the recipient's page (pages/own-reply.ts):
// opened on request, not on every visit, with the replier's own envelope (lib/e2e-open.ts).
import { messages } from '../i18n/index.ts';
import { openEndToEnd, statusOf } from './lib/e2e-open.ts';
import { pageLocale } from './lib/upload.ts';

for (const root of document.querySelectorAll<HTMLElement>('[data-own-reply]')) {
  const button = root.querySelector<HTMLButtonElement>('[data-own-reply-open]');
  if (button === null) continue;
  const m = messages(pageLocale());
  button.disabled = false;
  button.addEventListener('click', () => {
    button.disabled = true;
    openEndToEnd(root, m.ownReply.opened)
      .then((opened) => {
        // Not opened (key locked, no share yet): the caller may fix that and try again.
        button.hidden = opened;
        button.disabled = opened;
      })
      .catch(() => {
        statusOf(root)(m.e2eKeys.open.failed);
        button.disabled = false;
      });
  });
}
