import type { FastifyInstance } from 'fastify';
import { privacyPaths } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { routesOf } from '../../../http/schemas.ts';
import { dailyStats, METRICS } from '../../stats/index.ts';

const statisticsSchema = {
  summary: 'Usage counts per day, last 30 days (tenant admins); no personal data',
  tags: ['admin'],
  querystring: {
    type: 'object',
    properties: {
      days: { type: 'string', pattern: '^(?:[1-9]|[1-9][0-9]|[12][0-9][0-9]|3[0-6][0-6])$' },
    },
  },
} as const;

/** Usage counts for the tenant admin's own reports: counts per day, nothing about anyone. */
export function statisticsRoutes(deps: AppDeps) {
  return async function plugin(plain: FastifyInstance): Promise<void> {
    const app = routesOf(plain);
    app.get(
      privacyPaths.apiStatistics,
      { config: { access: 'tenantAdmin' }, schema: statisticsSchema },
      async (request) => ({
        metrics: METRICS,
        days: await dailyStats(
          deps.db,
          request.tenant.id,
          deps.clock.now(),
          Number(request.query.days ?? '30'),
        ),
      }),
    );
  };
}
