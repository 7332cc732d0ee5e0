// The reply form on an organisation's message (pages/organisations.ts): the same upload flow as
// compose and the recipient's reply, authorised by the member's session; sent in the
// organisation's name.
import { messages } from '../i18n/index.ts';
import { organisationPaths } from '@amtsbote/contracts';
import { checkText } from './lib/rules.ts';
import { enhanceUploadForm, pageLocale } from './lib/upload.ts';
import { enhanceEndToEndReply } from './lib/e2e-reply.ts';

const form = document.getElementById('reply');
if (form instanceof HTMLFormElement) {
  const t = messages(pageLocale()).upload;
  const orgId = form.dataset.orgId ?? '';
  const transferId = form.dataset.transferId ?? '';
  const text = (name: string): string => {
    const el = form.elements.namedItem(name);
    return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : '';
  };
  // Levels 3 and 4: encrypted here first (lib/e2e-reply.ts), wrapped for the organisation's key.
  if (orgId !== '' && transferId !== '' && form.dataset.e2eLevel !== undefined)
    enhanceEndToEndReply(form, {
      keysUrl: form.dataset.replyKeysUrl ?? '',
      createUrl: organisationPaths.replies(orgId, transferId),
      envelopesUrl: (id) =>
        `/api/v1/organisations/${encodeURIComponent(orgId)}/replies/${encodeURIComponent(id)}/envelopes`,
      sendUrl: (id) => organisationPaths.sendReply(orgId, id),
      headers: {},
      doneUrl: `${organisationPaths.transfer(orgId, transferId)}?notice=reply-sent`,
      noOwnKeyText: messages(pageLocale()).e2eReply.noOrganisationKey,
    });
  if (orgId !== '' && transferId !== '') {
    enhanceUploadForm({
      form,
      scope: `org-reply:${orgId}:${transferId}`,
      headingLevel: 3,
      headers: {},
      createUrl: organisationPaths.replies(orgId, transferId),
      sendUrl: (id) => organisationPaths.sendReply(orgId, id),
      doneUrl: () => `${organisationPaths.transfer(orgId, transferId)}?notice=reply-sent`,
      collect() {
        const subject = text('subject');
        const message = text('message');
        return { problems: checkText(t, subject, message), body: { subject: subject.trim(), message } };
      },
    });
  }
}
