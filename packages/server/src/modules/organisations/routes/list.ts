import type { FastifyInstance } from 'fastify';
import { organisationCreatePage, organisationsPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { pageContext } from '../../../http/context.ts';
import { formRoute } from '../../../http/form-route.ts';
import { routesOf } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { createOrganisation, organisationsOf } from '../service.ts';
import { invitationsFor } from '../services/invitations.ts';
import { fullAccount, profileBody, profileOf } from './shared.ts';

/** The account's organisations (and invitations waiting for it), and creating a new one. */
export function listRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/organisations',
    { config: { access: 'account' }, schema: { hide: true } },
    async (request, reply) => {
      const account = accountOf(request);
      const orgs = await organisationsOf(deps.db, request.tenant.id, account.id);
      return reply.page(
        organisationsPage(pageContext(request, reply), {
          organisations: orgs.map((o) => ({
            id: o.organisation.id,
            name: o.organisation.name,
            role: o.role,
          })),
          invitations: await invitationsFor(deps.db, request.tenant.id, account.email, deps.clock.now()),
        }),
      );
    },
  );

  r.get(
    '/organisations/new',
    { config: { access: 'account' }, schema: { hide: true } },
    async (request, reply) =>
      reply.page(
        organisationCreatePage(pageContext(request, reply), {
          values: { contactEmail: accountOf(request).email },
          errors: [],
        }),
      ),
  );

  formRoute(app, '/organisations/new', {
    access: 'account',
    schema: { body: profileBody },
    errorField: 'name',
    fixable: ['ERR_CONSENT_REQUIRED', 'ERR_VALIDATION'],
    run: async (request) => {
      const org = await createOrganisation(deps, {
        tenantId: request.tenant.id,
        account: await fullAccount(deps, request),
        profile: profileOf(request.body),
        consent: request.body.consent?.trim() === 'on',
        ipPrefix: request.ipPrefix,
      });
      return `/organisations/${org.id}?notice=organisation-created`;
    },
    render: (request, reply, errors) =>
      organisationCreatePage(pageContext(request, reply), {
        values: { ...profileOf(request.body), consent: (request.body.consent ?? '').trim() },
        errors,
      }),
  });
}
