import { defaultLocale } from '@amtsbote/contracts';
import { mailMessages } from '@amtsbote/web';
import type { OutgoingMail } from '../../adapters/mailer/types.ts';

/**
 * Feedback from the accessibility page to the authority's contact addresses. In the default
 * language (German, the authority's own) whatever language the page was in: it is read at the
 * authority. Plain text only; a reply goes to the sender when they gave an address.
 */
export function feedbackMail(
  to: string[],
  tenantName: string,
  feedback: { name: string; email: string; message: string; page: string },
): OutgoingMail {
  const m = mailMessages(defaultLocale).accessibilityFeedback;
  const given = (value: string): string => (value === '' ? m.notGiven : value);
  const lines = [
    m.intro(tenantName),
    '',
    m.name(given(feedback.name)),
    m.email(given(feedback.email)),
    m.page(given(feedback.page)),
    '',
    feedback.message,
  ];
  return {
    to,
    subject: m.subject(tenantName),
    text: lines.join('\n'),
    ...(feedback.email === '' ? {} : { replyTo: feedback.email }),
  };
}
