import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { routesOf } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { requireMember } from '../policy.ts';
import { organisationDirectory, organisationsOf, profileForForm, setGeneralRelease } from '../service.ts';
import type { OrganisationAccess } from '../store/organisations.ts';

const orgSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    legalForm: { type: ['string', 'null'] },
    seat: { type: ['string', 'null'] },
    address: { type: ['string', 'null'] },
    contactEmail: { type: 'string' },
    role: { type: 'string', enum: ['member', 'admin'] },
    generalRelease: {
      type: 'boolean',
      description: 'Profile data released in general for online forms (else: confirm each use)',
    },
    releaseChangedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const orgJson = (a: OrganisationAccess) => ({
  ...a.organisation,
  releaseChangedAt: a.organisation.releaseChangedAt?.toISOString() ?? null,
  role: a.role,
});

/** The JSON API of organisations: for the signed-in service account, and staff's directory. */
export function apiRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/api/v1/organisations',
    {
      config: { access: 'account' },
      schema: {
        summary: 'The signed-in service account’s organisations',
        tags: ['organisations'],
        response: { 200: { type: 'array', items: orgSchema } },
      },
    },
    async (request) =>
      (await organisationsOf(deps.db, request.tenant.id, accountOf(request).id)).map(orgJson),
  );

  r.get(
    '/api/v1/organisations/:id',
    {
      config: { access: 'account' },
      schema: {
        summary: 'One organisation: profile, role, data release setting',
        tags: ['organisations'],
        params: { $ref: 'IdParams#' },
        response: { 200: orgSchema },
      },
    },
    async (request) =>
      orgJson(await requireMember(deps.db, request.tenant.id, request.params.id, accountOf(request).id)),
  );

  r.put(
    '/api/v1/organisations/:id/release',
    {
      config: { access: 'account' },
      schema: {
        summary: 'Switch the general release of the profile data on or off (administrators)',
        tags: ['organisations'],
        params: { $ref: 'IdParams#' },
        body: {
          type: 'object',
          required: ['generalRelease'],
          additionalProperties: false,
          properties: { generalRelease: { type: 'boolean' } },
        },
        response: { 200: orgSchema },
      },
    },
    async (request) => {
      const account = accountOf(request);
      await setGeneralRelease(deps, {
        tenantId: request.tenant.id,
        organisationId: request.params.id,
        accountId: account.id,
        on: request.body.generalRelease,
        ipPrefix: request.ipPrefix,
      });
      return orgJson(await requireMember(deps.db, request.tenant.id, request.params.id, account.id));
    },
  );

  r.post(
    '/api/v1/organisations/:id/profile-for-form',
    {
      config: { access: 'account' },
      schema: {
        summary:
          'The profile for prefilling an online form: given under a general release or with the member’s confirmation of this use',
        tags: ['organisations'],
        params: { $ref: 'IdParams#' },
        body: {
          type: 'object',
          required: ['purpose'],
          additionalProperties: false,
          properties: {
            purpose: { type: 'string', minLength: 1, maxLength: 100 },
            confirmed: { type: 'boolean' },
          },
        },
      },
    },
    async (request) =>
      profileForForm(deps, {
        tenantId: request.tenant.id,
        organisationId: request.params.id,
        accountId: accountOf(request).id,
        confirmedThisUse: request.body.confirmed === true,
        purpose: request.body.purpose,
        ipPrefix: request.ipPrefix,
      }),
  );

  // Staff: organisations they can address (by contact address) from the compose page.
  r.get(
    '/api/v1/organisations/directory',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'Organisations of this authority staff can write to: name and contact address (staff only)',
        tags: ['organisations'],
        querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 100 } } },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                name: { type: 'string' },
                contactEmail: { type: 'string' },
              },
            },
          },
        },
      },
    },
    async (request) => organisationDirectory(deps.db, request.tenant.id, request.query.q ?? ''),
  );
}
