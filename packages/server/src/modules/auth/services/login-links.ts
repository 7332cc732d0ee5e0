import type { Locale } from '@amtsbote/contracts';
import { HOUR } from '../../../adapters/clock.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { ipLimitKey } from '../../../http/ip.ts';
import type { Staff } from '../../staff/index.ts';
import { findStaffByEmail, getStaff, normaliseEmail } from '../../staff/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { tenantBaseUrl } from '../../tenants/index.ts';
import { loginLinkMail } from '../mails.ts';
import { localLoginAllowed } from '../sso.ts';
import { consumeLink, issueLink, peekLink } from '../store/login-links.ts';
import { takeTokens } from '../store/rate-limits.ts';

/**
 * Mails a one-time sign-in link to an active staff member of the tenant. Says nothing about
 * whether the address has an account or whether the request was limited: the caller answers
 * the same either way.
 */
export async function requestLoginLink(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'mailer' | 'config'>,
  input: { tenant: Tenant; email: string; ip: string; locale: Locale },
): Promise<void> {
  const { tenant } = input;
  // Links are capped per address and per source so the form can't be used to flood a mailbox.
  // Taken in one atomic step per limit, all or none, so parallel requests cannot exceed them.
  if (!(await localLoginAllowed(deps, tenant.id))) return;
  const limits = [
    { key: `link:account:${tenant.id}:${normaliseEmail(input.email)}`, max: 3, windowMs: HOUR },
    { key: `link:ip:${ipLimitKey(input.ip)}`, max: 10, windowMs: HOUR },
  ];
  if (!(await takeTokens(deps.db, deps.clock, limits))) return;
  const staff = await findStaffByEmail(deps.db, tenant.id, input.email);
  if (staff?.status !== 'active') return;
  const token = await issueLink(deps.db, deps, { tenantId: tenant.id, staffId: staff.id, purpose: 'login' });
  const link = `${tenantBaseUrl(tenant, deps.config)}/login/link/${token}`;
  await deps.mailer.send(loginLinkMail(staff.email, input.locale, tenant.name, link));
}

/** Whether a sign-in link is live (for the page that asks to confirm it). */
export async function loginLinkIsLive(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tenantId: string,
  token: string,
): Promise<boolean> {
  return (await peekLink(deps.db, deps.clock, tenantId, 'login', token)) !== undefined;
}

/**
 * Uses a sign-in link up.
 * @returns the active staff member it was for.
 * @throws {AppError} ERR_LINK_INVALID for unknown, used and expired links, and inactive staff.
 */
export async function useLoginLink(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tenantId: string,
  token: string,
): Promise<Staff> {
  const { staffId } = await consumeLink(deps.db, deps.clock, tenantId, 'login', token);
  const staff = await getStaff(deps.db, tenantId, staffId);
  if (staff?.status !== 'active') throw new AppError('ERR_LINK_INVALID');
  return staff;
}

/**
 * The person a live invitation is for.
 * @throws {AppError} ERR_LINK_INVALID
 */
export async function invitedStaff(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tenantId: string,
  token: string,
): Promise<Staff> {
  const link = await peekLink(deps.db, deps.clock, tenantId, 'invitation', token);
  const staff = link === undefined ? undefined : await getStaff(deps.db, tenantId, link.staffId);
  if (staff === undefined) throw new AppError('ERR_LINK_INVALID');
  return staff;
}
