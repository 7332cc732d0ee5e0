import { HOUR } from '../../adapters/clock.ts';
import type { AppDeps } from '../../deps.ts';
import { ipLimitKey } from '../../http/ip.ts';
import { takeToken } from '../auth/index.ts';
import { activeAdminEmails } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { feedbackMail } from './mails.ts';
import { insertAccessibilityFeedback } from './store.ts';

export interface Feedback {
  name: string;
  email: string;
  message: string;
  page: string;
}

/**
 * Someone reports a barrier (the accessibility statement's feedback mechanism): kept for the
 * authority and mailed to its tenant admins, in one transaction. At most 10 an hour from one
 * address, so the form is no way to flood their mailboxes.
 * @returns false when the sender is over the limit (nothing kept, nothing sent)
 */
export async function sendAccessibilityFeedback(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'mailer'>,
  input: { tenant: Tenant; ip: string; feedback: Feedback },
): Promise<boolean> {
  // Checked and counted in one statement, so parallel posts cannot get past the limit.
  const limit = { key: `feedback:ip:${ipLimitKey(input.ip)}`, max: 10, windowMs: HOUR };
  if (!(await takeToken(deps.db, deps.clock, limit))) return false;
  await deps.db.transaction(async (tx) => {
    await insertAccessibilityFeedback(tx, {
      tenantId: input.tenant.id,
      id: deps.secrets.id(),
      ...input.feedback,
      createdAt: deps.clock.now(),
    });
    const to = await activeAdminEmails(tx, input.tenant.id);
    if (to.length > 0) await deps.mailer.send(feedbackMail(to, input.tenant.name, input.feedback));
  });
  return true;
}
