import { safeNext } from '../../../http/redirects.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { keysPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { pageContext, queryString } from '../../../http/context.ts';
import { routesOf } from '../../../http/schemas.ts';
import { wasmContentSecurityPolicy } from '../../../http/security-headers.ts';
import { recentlyProven } from '../../accounts/index.ts';
import { accountOf, staffOf } from '../../auth/index.ts';
import { keyOwnerOf, keySlotOf } from '../policy.ts';
import { currentPersonalKey, rewrapPersonalKey } from '../service.ts';
import { fingerprintOrUndefined, savePersonalKey } from '../services/replace-personal-key.ts';
import { b64, publicKey } from './schemas.ts';

/** The caller's personal key: the keys page, and the API browsers and the CLI keep it with. */
export function personalKeyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  // Staff and service accounts alike; someone signed in as neither goes to the account sign-in
  // (listed first, so the access hook sends them there).
  r.get(
    '/keys',
    { config: { access: ['account', 'staff'] }, schema: { hide: true } },
    async (request, reply) => {
      const owner = keyOwnerOf(request);
      const key = await currentPersonalKey(deps.db, request.tenant.id, owner);
      const next = queryString(request, 'next');
      // Argon2id (hash-wasm) runs on this page only: it needs WebAssembly, nothing else.
      void reply.header('content-security-policy', wasmContentSecurityPolicy);
      return reply.page(
        keysPage(pageContext(request, reply), {
          hasKey: key !== undefined,
          publicKey: key?.publicKey,
          createdAt: key?.createdAt,
          fingerprint:
            key === undefined ? undefined : await fingerprintOrUndefined(key.publicKey, ownerEmail(request)),
          next: safeNext(next),
        }),
      );
    },
  );

  r.get(
    '/api/v1/keys/me',
    {
      config: { access: ['account', 'staff'] },
      schema: {
        summary:
          'The caller’s personal key: public key and the wrapped private key (which only the caller’s passphrase or recovery code opens)',
        tags: ['keys'],
        response: {
          200: {
            type: 'object',
            properties: {
              slot: { type: 'string' },
              holder: { type: 'string', enum: ['staff', 'account'] },
              key: {
                type: ['object', 'null'],
                properties: {
                  publicKey: { type: 'string' },
                  wrappedWithPassphrase: { type: 'string' },
                  wrappedWithRecoveryCode: { type: 'string' },
                  updatedAt: { type: 'string', format: 'date-time' },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const owner = keyOwnerOf(request);
      const key = await currentPersonalKey(deps.db, request.tenant.id, owner);
      return {
        slot: keySlotOf(request, owner),
        // Which background work the browser may do: re-wraps and department shares are staff work.
        holder: owner.kind,
        key:
          key === undefined
            ? null
            : {
                publicKey: key.publicKey,
                wrappedWithPassphrase: key.wrappedWithPassphrase.toString('base64url'),
                wrappedWithRecoveryCode: key.wrappedWithRecoveryCode.toString('base64url'),
                updatedAt: key.updatedAt.toISOString(),
              },
      };
    },
  );

  r.post(
    '/api/v1/keys/me',
    {
      config: { access: ['account', 'staff'] },
      schema: {
        summary:
          'Store a new personal key made in the browser (or replace a lost one with `replace`: needs a sign-in or confirmation within the last 10 minutes, else 403 ERR_REAUTH_REQUIRED; the owner is mailed the new fingerprint)',
        tags: ['keys'],
        body: {
          type: 'object',
          required: ['publicKey', 'wrappedWithPassphrase', 'wrappedWithRecoveryCode'],
          additionalProperties: false,
          properties: {
            publicKey,
            wrappedWithPassphrase: b64,
            wrappedWithRecoveryCode: b64,
            replace: { type: 'boolean' },
          },
        },
      },
    },
    async (request, reply) => {
      const key = await savePersonalKey(deps, {
        tenant: request.tenant,
        holder: {
          owner: keyOwnerOf(request),
          email: ownerEmail(request),
          recentlyProven: recentlyProven(deps, request),
        },
        key: request.body,
        locale: request.locale,
        ipPrefix: request.ipPrefix,
      });
      return reply.status(201).send({ publicKey: key.publicKey });
    },
  );

  r.put(
    '/api/v1/keys/me/wraps',
    {
      config: { access: ['account', 'staff'] },
      schema: {
        summary: 'Re-wrap the personal key: a new passphrase and/or a new recovery code (same key)',
        tags: ['keys'],
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { wrappedWithPassphrase: b64, wrappedWithRecoveryCode: b64 },
        },
      },
    },
    async (request, reply) => {
      await rewrapPersonalKey(deps, request.tenant.id, keyOwnerOf(request), request.body, request.ipPrefix);
      return reply.status(204).send();
    },
  );
}

/** The address the caller's key belongs to (the one its fingerprint binds). */
function ownerEmail(request: FastifyRequest): string {
  return keyOwnerOf(request).kind === 'staff' ? staffOf(request).email : accountOf(request).email;
}
