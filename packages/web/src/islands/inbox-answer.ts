// The answer to an incoming transfer (inbound/pages.ts inboxAnswerPage): the shared upload flow,
// addressed to the sender's e-mail and sent through the postbox, so the item counts as answered.
// For a password drop-off "level 4" encrypts the answer here to the same password
// (lib/password-send.ts); that listener runs first and takes the submit over.
import { messages } from '../i18n/index.ts';
import { ApiError, NetworkError } from './lib/api.ts';
import { clearErrors, showErrors } from './lib/errors.ts';
import { NotTheSamePassword, sendToPassword } from './lib/password-send.ts';
import { ProgressView } from './lib/progress.ts';
import { checkFiles, checkText, fieldMessages, readLimits } from './lib/rules.ts';
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

  // ---- Level 4: to the same password (password drop-offs only) ----
  const dropoffEnvelope = form.dataset.envelope ?? '';
  const passwordBlock = form.querySelector<HTMLElement>('[data-password-field]');
  const levelChosen = (): string => {
    const level = field('level');
    return level instanceof RadioNodeList ? level.value : '';
  };
  const showPassword = (): void => {
    if (passwordBlock !== null) passwordBlock.hidden = levelChosen() !== '4';
  };
  if (dropoffEnvelope !== '') {
    showPassword();
    form.addEventListener('change', showPassword);
    let running = false;
    form.addEventListener('submit', (event) => {
      if (levelChosen() !== '4') return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (running) return;
      running = true;
      void runToPassword().finally(() => {
        running = false;
      });
    });
  }

  async function runToPassword(): Promise<void> {
    if (!(form instanceof HTMLFormElement)) return;
    const all = messages(pageLocale());
    const pt = all.passwordAnswer.answer;
    const locale = pageLocale();
    const fail = (errors: { field: string; message: string }[], title = t.errorTitle): void => {
      showErrors(form, { title, errorPrefix: all.form.errorPrefix, errors, headingLevel: 2 });
    };
    clearErrors(form);
    const files = [...(form.querySelector<HTMLInputElement>('input[type="file"]')?.files ?? [])];
    const subject = text('subject');
    const message = text('message');
    const password = text('password');
    const problems = [...checkText(t, subject, message), ...checkFiles(files, readLimits(form), locale)];
    if (password === '') problems.push({ field: 'password', message: pt.passwordMissing });
    if (problems.length > 0) {
      fail(problems);
      return;
    }
    const section = document.getElementById(form.dataset.progress ?? '');
    const view = section === null ? undefined : new ProgressView(section, t, locale);
    const controls = [...form.elements].filter(
      (c): c is HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | HTMLButtonElement =>
        (c instanceof HTMLInputElement && c.type !== 'hidden') ||
        c instanceof HTMLTextAreaElement ||
        c instanceof HTMLSelectElement ||
        c instanceof HTMLButtonElement,
    );
    const lock = (locked: boolean): void => {
      for (const c of controls) c.disabled = locked;
    };
    lock(true);
    view?.state(pt.checking);
    const days = Number(text('expiresInDays'));
    try {
      await sendToPassword(
        {
          answersUrl: base,
          uploadEndpoint: form.dataset.uploadEndpoint ?? '',
          csrf: form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '',
          view,
          dropoffEnvelope,
          onChecked: () => view?.state(pt.encrypting),
        },
        password,
        {
          subject: subject.trim(),
          message,
          expiresInDays: Number.isInteger(days) && days > 0 ? days : undefined,
          notifyOnDownload: true,
        },
        files,
      );
      window.location.assign(`/inbox/${encodeURIComponent(item)}?notice=answer-sent`);
    } catch (err) {
      lock(false);
      view?.state('');
      if (err instanceof NotTheSamePassword) fail([{ field: 'password', message: pt.passwordWrong }]);
      else if (err instanceof ApiError) {
        const fields = fieldMessages(err.fields, files, locale);
        fail(
          fields.length > 0 ? fields : [{ field: '', message: err.message === '' ? pt.failed : err.message }],
        );
      } else if (err instanceof NetworkError) fail([{ field: '', message: t.network }], t.failedTitle);
      else fail([{ field: '', message: pt.failed }], t.failedTitle);
    }
  }

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
