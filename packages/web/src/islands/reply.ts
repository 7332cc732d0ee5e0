// The reply form on a recipient's page (pages/recipient.ts): the same upload flow as compose,
// authorised by the link (header Amtsbote-Link) instead of a staff session.
import { messages } from '../i18n/index.ts';
import { recipientPaths } from '@amtsbote/contracts';
import { checkText } from './lib/rules.ts';
import { enhanceUploadForm, pageLocale } from './lib/upload.ts';
import { enhanceEndToEndReply } from './lib/e2e-reply.ts';

const form = document.getElementById('reply');
if (form instanceof HTMLFormElement) {
  const t = messages(pageLocale()).upload;
  const token = form.dataset.linkToken ?? '';
  const text = (name: string): string => {
    const el = form.elements.namedItem(name);
    return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : '';
  };
  // Levels 3 and 4: encrypted here first (lib/e2e-reply.ts), before the plain flow below.
  if (token !== '' && form.dataset.e2eLevel !== undefined)
    enhanceEndToEndReply(form, {
      keysUrl: form.dataset.replyKeysUrl ?? '',
      createUrl: recipientPaths.replies(token),
      envelopesUrl: (id) => `${recipientPaths.replies(token)}/${encodeURIComponent(id)}/envelopes`,
      sendUrl: (id) => recipientPaths.sendReply(token, id),
      headers: { 'Amtsbote-Link': token },
      doneUrl: `${recipientPaths.page(token)}?notice=reply-sent`,
      noOwnKeyText: messages(pageLocale()).e2eReply.noOwnKey,
    });
  if (token !== '') {
    enhanceUploadForm({
      form,
      // The link's secret stays out of storage keys: only its hash (inside draftKey) is kept.
      scope: `reply:${token}`,
      headingLevel: 3,
      headers: { 'Amtsbote-Link': token },
      createUrl: recipientPaths.replies(token),
      sendUrl: (id) => recipientPaths.sendReply(token, id),
      doneUrl: () => `${recipientPaths.page(token)}?notice=reply-sent`,
      collect() {
        const subject = text('subject');
        const message = text('message');
        return { problems: checkText(t, subject, message), body: { subject: subject.trim(), message } };
      },
    });
  }
}
