import type { FastifyInstance } from 'fastify';
import { organisationKeysPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { pageContext } from '../../../http/context.ts';
import { routesOf, str } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { keyState, pendingOrganisationShares, setOrganisationKey, shareOrganisationKey } from '../keys.ts';
import { requireMember } from '../policy.ts';
import { summaryOf } from './shared.ts';

const shareableMember = {
  type: 'object',
  properties: { accountId: { type: 'string' }, publicKey: { type: 'string' } },
} as const;

/** The organisation's key pair (levels 3 and 4): its page, and the API members' browsers use. */
export function keyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/organisations/:id/keys',
    { config: { access: 'account' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const account = accountOf(request);
      const access = await requireMember(deps.db, request.tenant.id, request.params.id, account.id);
      const state = await keyState(deps, {
        tenantId: request.tenant.id,
        organisationId: access.organisation.id,
        accountId: account.id,
      });
      return reply.page(
        organisationKeysPage(pageContext(request, reply), {
          org: summaryOf(access),
          role: access.role,
          publicKey: state.publicKey,
          hasShare: state.wrappedPrivateKey !== null,
          waiting: state.membersWithoutShare.length,
        }),
      );
    },
  );

  r.get(
    '/api/v1/organisations/:id/keys',
    {
      config: { access: 'account' },
      schema: {
        summary:
          'The organisation’s public key, the caller’s wrapped private key, and members still without one',
        tags: ['organisations'],
        params: { $ref: 'IdParams#' },
        response: {
          200: {
            type: 'object',
            properties: {
              publicKey: { type: ['string', 'null'] },
              wrappedPrivateKey: { type: ['string', 'null'] },
              membersWithoutShare: { type: 'array', items: { type: 'string' } },
              shareable: { type: 'array', items: shareableMember },
            },
          },
        },
      },
    },
    async (request) => ({
      ...(await keyState(deps, {
        tenantId: request.tenant.id,
        organisationId: request.params.id,
        accountId: accountOf(request).id,
      })),
    }),
  );

  r.put(
    '/api/v1/organisations/:id/keys',
    {
      config: { access: 'account' },
      schema: {
        summary:
          'Set the organisation’s key pair once: public key and the administrator’s own wrap (type-E envelope, base64url)',
        tags: ['organisations'],
        params: { $ref: 'IdParams#' },
        body: {
          type: 'object',
          required: ['publicKey', 'wrappedPrivateKey'],
          additionalProperties: false,
          properties: { publicKey: str(100), wrappedPrivateKey: str(200) },
        },
      },
    },
    async (request, reply) => {
      await setOrganisationKey(deps, {
        tenantId: request.tenant.id,
        organisationId: request.params.id,
        accountId: accountOf(request).id,
        publicKey: request.body.publicKey,
        wrappedPrivateKey: request.body.wrappedPrivateKey,
        ipPrefix: request.ipPrefix,
      });
      return reply.status(204).send();
    },
  );

  // A static segment wins over the `:id` parameter in the router. Public on purpose: every
  // signed-in page asks (key-session.ts), staff too, and staff belong to no organisation — they
  // get an empty list, not a refusal.
  r.get(
    '/api/v1/organisations/key-shares',
    {
      config: { access: 'public' },
      schema: {
        summary:
          'In each organisation where the caller holds the key: members with a personal key still without a wrap',
        tags: ['organisations'],
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                organisationId: { type: 'string' },
                publicKey: { type: 'string' },
                wrappedPrivateKey: { type: 'string' },
                members: { type: 'array', items: shareableMember },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const account = request.session?.account;
      if (account === undefined) return [];
      return (await pendingOrganisationShares(deps.db, request.tenant.id, account.id)).map((s) => ({ ...s }));
    },
  );

  r.put(
    '/api/v1/organisations/:id/keys/shares/:accountId',
    {
      config: { access: 'account' },
      schema: {
        summary:
          'Store the organisation’s private key wrapped for a confirmed member (made by a member who holds it)',
        tags: ['organisations'],
        params: {
          type: 'object',
          required: ['id', 'accountId'],
          properties: { id: { $ref: 'Uuid#' }, accountId: { $ref: 'Uuid#' } },
        },
        body: {
          type: 'object',
          required: ['wrappedPrivateKey'],
          additionalProperties: false,
          properties: {
            wrappedPrivateKey: str(200),
            publicKey: { type: 'string', pattern: '^amtb-pub1-[A-Za-z0-9_-]{44}$' },
          },
        },
      },
    },
    async (request, reply) => {
      await shareOrganisationKey(deps, {
        tenantId: request.tenant.id,
        organisationId: request.params.id,
        accountId: accountOf(request).id,
        forAccountId: request.params.accountId,
        wrappedPrivateKey: request.body.wrappedPrivateKey,
        publicKey: request.body.publicKey,
        ipPrefix: request.ipPrefix,
      });
      return reply.status(204).send();
    },
  );
}
