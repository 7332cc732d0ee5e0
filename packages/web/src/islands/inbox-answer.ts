// The answer to an incoming transfer (inbound/pages.ts inboxAnswerPage): the shared upload flow,
// addressed to the sender's e-mail and sent through the postbox, so the item counts as answered.
import { messages } from '../i18n/index.ts';
import { checkText } from './lib/rules.ts';
import { enhanceUploadForm, pageLocale } from './lib/upload.ts';

const form = document.getElementById('answer');
if (form instanceof HTMLFormElement) {
  const t = messages(pageLocale()).upload;
  const item = form.dataset.item ?? '';
  const base = `/api/v1/inbox/${encodeURIComponent(item)}/answers`;
  const field = (name: string): Element | RadioNodeList | null => form.elements.namedItem(name);
  const text = (name: string): string => {
    const el = field(name);
    return el instanceof HTMLInputElement ||
      el instanceof HTMLTextAreaElement ||
      el instanceof HTMLSelectElement
      ? el.value
      : '';
  };
  enhanceUploadForm({
    form,
    scope: `answer:${item}`,
    headingLevel: 2,
    headers: {},
    createUrl: base,
    sendUrl: (id) => `${base}/${encodeURIComponent(id)}/send`,
    doneUrl: () => `/inbox/${encodeURIComponent(item)}?notice=answer-sent`,
    collect() {
      const subject = text('subject');
      const message = text('message');
      const level = field('level');
      const days = Number(text('expiresInDays'));
      const allow = field('allowReply');
      return {
        problems: checkText(t, subject, message),
        body: {
          level: level instanceof RadioNodeList && level.value === '2' ? 2 : 1,
          subject: subject.trim(),
          message,
          ...(Number.isInteger(days) && days > 0 ? { expiresInDays: days } : {}),
          allowReply: allow instanceof HTMLInputElement && allow.checked,
        },
      };
    },
  });
}
