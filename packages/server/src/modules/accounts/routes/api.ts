import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { routesOf } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { accountOverview } from '../service.ts';

const accountResponse = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    displayName: { type: ['string', 'null'] },
    hasPassword: { type: 'boolean' },
    totpEnabled: { type: 'boolean' },
    passkeys: { type: 'integer' },
    identities: {
      type: 'array',
      items: {
        type: 'object',
        properties: { issuer: { type: 'string' }, acr: { type: ['string', 'null'] } },
      },
    },
  },
} as const;

/** The JSON view of the signed-in account (for the pages' scripts and the API description). */
export function accountApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  routesOf(app).get(
    '/api/v1/account',
    {
      config: { access: 'account' },
      schema: {
        summary: 'The signed-in service account (citizen session)',
        tags: ['accounts'],
        response: { 200: accountResponse },
      },
    },
    async (request) => {
      const o = await accountOverview(deps.db, request.tenant.id, accountOf(request).id);
      if (o === undefined) throw new AppError('ERR_UNAUTHENTICATED');
      return {
        id: o.id,
        email: o.email,
        displayName: o.displayName,
        hasPassword: o.hasPassword,
        totpEnabled: o.totpEnabled,
        passkeys: o.passkeys.length,
        identities: o.identities,
      };
    },
  );
}
