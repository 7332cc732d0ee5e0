import type { FastifyInstance } from 'fastify';
import {
  accessibilityPage,
  apiReferenceFromSpec,
  imprintPage,
  leichteSprachePage,
  privacyPage,
  startPage,
} from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { pageContext } from '../../../http/context.ts';
import { publicRetention } from '../../retention/index.ts';
import { legalSettings } from '../legal.ts';

/** Pages everyone may see: start, Leichte Sprache, privacy, imprint, accessibility, API reference. */
export function publicPages(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/', { config: { access: 'public' } }, async (request, reply) =>
      reply.page(startPage(pageContext(request, reply))),
    );
    app.get('/leichte-sprache', { config: { access: 'public' } }, async (request, reply) =>
      reply.page(leichteSprachePage(pageContext(request, reply))),
    );
    app.get('/datenschutz', { config: { access: 'public' } }, async (request, reply) =>
      reply.page(
        privacyPage(
          pageContext(request, reply),
          legalSettings(request.tenant),
          publicRetention(request.tenant, request.locale, deps.config),
        ),
      ),
    );
    app.get('/impressum', { config: { access: 'public' } }, async (request, reply) =>
      reply.page(imprintPage(pageContext(request, reply), legalSettings(request.tenant))),
    );
    app.get('/barrierefreiheit', { config: { access: 'public' } }, async (request, reply) =>
      reply.page(
        accessibilityPage(pageContext(request, reply), legalSettings(request.tenant), {
          values: {},
          errors: [],
        }),
      ),
    );
    // The API description of the whole app, which is complete once every plugin is registered.
    app.get('/api/docs', { config: { access: 'public' } }, async (request, reply) =>
      reply.page(apiReferenceFromSpec(pageContext(request, reply), app.swagger())),
    );
  };
}
