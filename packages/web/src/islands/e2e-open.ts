// Opens a level-3/4 transfer in the browser (pages/keys.ts e2eOpenSection), for its recipient or
// its sender, as soon as the page is there (lib/e2e-open.ts does the work).
import { messages } from '../i18n/index.ts';
import { openEndToEnd, statusOf } from './lib/e2e-open.ts';
import { pageLocale } from './lib/upload.ts';

const section = document.getElementById('e2e-open');
if (section !== null) {
  void openEndToEnd(section).catch(() => {
    statusOf(section)(messages(pageLocale()).e2eKeys.open.failed);
  });
}
