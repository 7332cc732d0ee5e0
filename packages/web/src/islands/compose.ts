// The compose page (pages/compose.ts): checks the form and the files against the tenant's
// limits, creates the transfer through the API, uploads the files with tus and sends it.
import { messages } from '../i18n/index.ts';
import { paths, transferPaths } from '@amtsbote/contracts';
import type { FieldMessage } from './lib/errors.ts';
import { checkText, looksLikeEmail, splitAddresses } from './lib/rules.ts';
import { enhanceUploadForm, pageLocale } from './lib/upload.ts';
import { ApiError } from './lib/api.ts';
import { NoUnlockedKey, sendEndToEnd } from './lib/e2e-send.ts';
import { clearErrors, showErrors } from './lib/errors.ts';
import { ProgressView } from './lib/progress.ts';
import { enhanceOrganisationPicker } from './lib/org-picker.ts';

const MAX_RECIPIENTS = 50;

const form = document.getElementById('compose');
if (form instanceof HTMLFormElement) {
  const t = messages(pageLocale()).upload;
  const field = (name: string): Element | RadioNodeList | null => form.elements.namedItem(name);
  const text = (name: string): string => {
    const el = field(name);
    return el instanceof HTMLInputElement ||
      el instanceof HTMLTextAreaElement ||
      el instanceof HTMLSelectElement
      ? el.value
      : '';
  };
  const checked = (name: string): boolean => {
    const el = field(name);
    return el instanceof HTMLInputElement && el.checked;
  };

  // Levels 3 and 4: encrypted here first (lib/e2e-send.ts); this listener runs before the
  // plain upload flow's and takes the submit over.
  const e2e = messages(pageLocale());
  // An organisation picked by name adds its postbox address to the recipients.
  const picker = enhanceOrganisationPicker(form, e2e.orgKeys.picker);
  const withOrganisation = (addresses: string[]): { recipients: string[]; problems: FieldMessage[] } => {
    const picked = picker?.resolve() ?? {};
    return {
      recipients: picked.email === undefined ? addresses : [...addresses, picked.email],
      problems: picked.problem === undefined ? [] : [picked.problem],
    };
  };
  form.addEventListener('submit', (event) => {
    const levelField = field('level');
    const chosen = levelField instanceof RadioNodeList ? levelField.value : '';
    if (chosen !== '3' && chosen !== '4') return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const fail = (message: string): void => {
      showErrors(form, {
        title: e2e.upload.errorTitle,
        errorPrefix: e2e.form.errorPrefix,
        errors: [{ field: '', message }],
        headingLevel: 2,
      });
    };
    clearErrors(form);
    const { recipients, problems: picked } = withOrganisation(splitAddresses(text('recipients')));
    const subject = text('subject');
    const problems = [...picked, ...checkText(t, subject, text('message'))];
    if (recipients.length === 0 || recipients.some((r) => !looksLikeEmail(r)))
      problems.push({ field: 'recipients', message: t.recipientsMissing });
    if (problems.length > 0) {
      showErrors(form, {
        title: t.errorTitle,
        errorPrefix: e2e.form.errorPrefix,
        errors: problems,
        headingLevel: 2,
      });
      return;
    }
    const section = document.getElementById(form.dataset.progress ?? '');
    const view = section === null ? undefined : new ProgressView(section, t, pageLocale());
    view?.state(e2e.e2eKeys.compose.encrypting);
    const days = Number(text('expiresInDays'));
    const files = [...(form.querySelector<HTMLInputElement>('input[type="file"]')?.files ?? [])];
    void sendEndToEnd(
      {
        endpoint: form.dataset.uploadEndpoint ?? '',
        csrf: form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '',
        view,
      },
      {
        level: chosen === '4' ? 4 : 3,
        recipients,
        subject: subject.trim(),
        message: text('message'),
        expiresInDays: Number.isInteger(days) && days > 0 ? days : undefined,
        notifyOnDownload: checked('notifyOnDownload'),
        allowReply: checked('allowReply'),
      },
      files,
    )
      .then(({ id }) => {
        window.location.assign(`${transferPaths.page(id)}?notice=transfer-sent`);
      })
      .catch((err: unknown) => {
        view?.state('');
        fail(
          err instanceof NoUnlockedKey
            ? e2e.e2eKeys.compose.noOwnKey
            : err instanceof ApiError && err.message !== ''
              ? err.message
              : t.unexpected,
        );
      });
  });

  enhanceUploadForm({
    form,
    scope: 'compose',
    headingLevel: 2,
    headers: {},
    createUrl: paths.apiTransfers,
    sendUrl: (id) => transferPaths.send(id),
    doneUrl: (id) => `${transferPaths.page(id)}?notice=transfer-sent`,
    collect() {
      const { recipients, problems } = withOrganisation(splitAddresses(text('recipients')));
      if (recipients.length === 0) problems.push({ field: 'recipients', message: t.recipientsMissing });
      for (const r of recipients) {
        if (!looksLikeEmail(r)) problems.push({ field: 'recipients', message: t.recipientInvalid(r) });
      }
      if (recipients.length > MAX_RECIPIENTS)
        problems.push({ field: 'recipients', message: t.tooManyRecipients });
      const subject = text('subject');
      const message = text('message');
      problems.push(...checkText(t, subject, message));
      const levelField = field('level');
      const level = levelField instanceof RadioNodeList && levelField.value === '2' ? 2 : 1;
      const days = Number(text('expiresInDays'));
      return {
        problems,
        body: {
          level,
          recipients,
          subject: subject.trim(),
          message,
          ...(Number.isInteger(days) && days > 0 ? { expiresInDays: days } : {}),
          notifyOnDownload: checked('notifyOnDownload'),
          allowReply: checked('allowReply'),
        },
      };
    },
  });
}
