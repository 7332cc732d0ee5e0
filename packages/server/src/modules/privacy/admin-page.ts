import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RetentionAdminInput, RetentionRow } from '@amtsbote/web';
import { retentionAdminPage } from '@amtsbote/web';
import type { Locale } from '@amtsbote/contracts';
import type { AppDeps } from '../../deps.ts';
import { pageContext } from '../../http/context.ts';
import { dailyStats, METRICS } from '../stats/index.ts';
import type { Tenant } from '../tenants/index.ts';

/**
 * The retention periods as the admin page lists them. The retention module (which comes later
 * in the module order) supplies it when it registers the admin page.
 */
export type RetentionOverview = (tenant: Tenant, locale: Locale) => readonly RetentionRow[];

/** The forms of the page that may come back with what was entered and what was wrong. */
export type PrivacyAdminForms = Pick<RetentionAdminInput, 'retentionForm' | 'requestForm'>;

/**
 * The tenant admin's privacy page: retention periods (and their form), 30 days of usage counts,
 * and the form for a person's export or deletion request.
 */
export async function sendPrivacyAdminPage(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  overview: RetentionOverview,
  request: FastifyRequest,
  reply: FastifyReply,
  forms: PrivacyAdminForms = {},
  status = 200,
): Promise<FastifyReply> {
  const stats = await dailyStats(deps.db, request.tenant.id, deps.clock.now(), 30);
  return reply.page({
    ...retentionAdminPage(pageContext(request, reply), {
      rules: overview(request.tenant, request.locale),
      stats,
      metrics: METRICS,
      ...forms,
    }),
    status,
  });
}
