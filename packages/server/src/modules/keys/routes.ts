import type { FastifyInstance, FastifyRequest } from 'fastify';
import { keysPage } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { tenantBaseUrl } from '../../http/urls.ts';
import { wasmContentSecurityPolicy } from '../../http/security-headers.ts';
import { mayRead } from '../transfers/recipient.ts';
import { resolveRecipientLink } from '../transfers/service.ts';
import { keyReadyMail } from './mails.ts';
import type { KeyOwner } from './service.ts';
import {
  currentPersonalKey,
  keySlot,
  pendingRewraps,
  publicKeysFor,
  recipientEnvelope,
  rewrapPersonalKey,
  sharesDepartmentOutboxes,
  staffEnvelope,
  storeDraftEnvelopes,
  storePersonalKey,
  storeRewrap,
} from './service.ts';

const uuid = { type: 'string', format: 'uuid' } as const;
const b64 = { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 400 } as const;
const publicKey = { type: 'string', pattern: '^amtb-pub1-[A-Za-z0-9_-]{44}$' } as const;

/** The signed-in owner of a personal key: a staff member (session or token) or a service account. */
function ownerOf(request: FastifyRequest): KeyOwner {
  if (request.auth !== undefined) return { kind: 'staff', id: request.auth.staff.id };
  const account = request.session?.account;
  if (account !== undefined) return { kind: 'account', id: account.id };
  throw new AppError('ERR_UNAUTHENTICATED');
}

function staffIdOf(request: FastifyRequest): string {
  if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  return request.auth.staff.id;
}

/**
 * Personal keys and end-to-end envelopes (levels 3 and 4): the keys page, the key API for
 * browsers and the CLI, the envelopes of a draft, re-wraps for recipients who got a key late.
 */
export function keyRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/keys', { schema: { hide: true } }, async (request, reply) => {
      if (request.auth === undefined && request.session?.account === undefined) {
        return reply.redirect(`/account/login?next=${encodeURIComponent(request.url)}`, 303);
      }
      const owner = ownerOf(request);
      const key = await currentPersonalKey(deps.db, request.tenant.id, owner);
      const next = (request.query as { next?: unknown }).next;
      // Argon2id (hash-wasm) runs on this page only: it needs WebAssembly, nothing else.
      void reply.header('content-security-policy', wasmContentSecurityPolicy);
      return reply.page(
        keysPage(pageContext(request, reply), {
          hasKey: key !== undefined,
          publicKey: key?.publicKey,
          createdAt: key?.createdAt,
          next: typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : undefined,
        }),
      );
    });

    app.get(
      '/api/v1/keys/me',
      {
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
        const owner = ownerOf(request);
        const key = await currentPersonalKey(deps.db, request.tenant.id, owner);
        return {
          slot: keySlot(request.session?.idHash, owner),
          // Which background work the browser may do: re-wraps and department shares are staff work.
          holder: owner.kind,
          key:
            key === undefined
              ? null
              : {
                  publicKey: key.publicKey,
                  wrappedWithPassphrase: key.wrappedWithPassphrase.toString('base64url'),
                  wrappedWithRecoveryCode: key.wrappedWithRecoveryCode.toString('base64url'),
                  updatedAt: key.updatedAt,
                },
        };
      },
    );

    app.post(
      '/api/v1/keys/me',
      {
        schema: {
          summary: 'Store a new personal key made in the browser (or replace a lost one with `replace`)',
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
        const body = request.body as {
          publicKey: string;
          wrappedWithPassphrase: string;
          wrappedWithRecoveryCode: string;
          replace?: boolean;
        };
        const key = await storePersonalKey(deps, request.tenant.id, ownerOf(request), body, request.ipPrefix);
        return reply.status(201).send({ publicKey: key.publicKey });
      },
    );

    app.put(
      '/api/v1/keys/me/wraps',
      {
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
        await rewrapPersonalKey(
          deps,
          request.tenant.id,
          ownerOf(request),
          request.body as { wrappedWithPassphrase?: string; wrappedWithRecoveryCode?: string },
          request.ipPrefix,
        );
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/v1/keys/lookup',
      {
        schema: {
          summary:
            'Public keys of recipients (service accounts with a key), to encrypt to them before upload',
          tags: ['keys'],
          body: {
            type: 'object',
            required: ['emails'],
            additionalProperties: false,
            properties: {
              emails: {
                type: 'array',
                maxItems: 50,
                items: { type: 'string', format: 'email', maxLength: 254 },
              },
            },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                recipients: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { email: { type: 'string' }, publicKey: { type: ['string', 'null'] } },
                  },
                },
                departments: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { keyId: { type: 'string' }, publicKey: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
      async (request) => {
        const staffId = staffIdOf(request);
        const { emails } = request.body as { emails: string[] };
        const departments = sharesDepartmentOutboxes(request.tenant)
          ? await deps.db.query<{ keyId: string; publicKey: string }>(
              `SELECT k.id AS "keyId", k.public_key AS "publicKey" FROM department_keys k
                 JOIN department_members m ON m.tenant_id = k.tenant_id AND m.department_id = k.department_id
               WHERE k.tenant_id = $1 AND m.staff_id = $2 AND k.retired_at IS NULL ORDER BY k.id`,
              [request.tenant.id, staffId],
            )
          : [];
        return { recipients: await publicKeysFor(deps.db, request.tenant.id, emails), departments };
      },
    );

    app.put(
      '/api/v1/transfers/:id/envelopes',
      {
        schema: {
          summary:
            'The file key of a level-3/4 draft, wrapped for its sender, recipients with a key and (shared outboxes) departments',
          tags: ['transfers'],
          params: { type: 'object', required: ['id'], properties: { id: uuid } },
          body: {
            type: 'object',
            required: ['envelopes'],
            additionalProperties: false,
            properties: {
              envelopes: {
                type: 'array',
                minItems: 1,
                maxItems: 60,
                items: {
                  type: 'object',
                  required: ['holder', 'envelope'],
                  additionalProperties: false,
                  properties: {
                    holder: { type: 'string', enum: ['sender', 'recipient', 'department'] },
                    email: { type: 'string', maxLength: 254 },
                    departmentKeyId: uuid,
                    envelope: b64,
                  },
                },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const { envelopes } = request.body as {
          envelopes: {
            holder: 'sender' | 'recipient' | 'department';
            email?: string;
            departmentKeyId?: string;
            envelope: string;
          }[];
        };
        await storeDraftEnvelopes(deps, request.tenant, staffIdOf(request), id, envelopes);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/v1/transfers/:id/envelope',
      {
        schema: {
          summary: 'The caller’s own envelope of a level-3/4 transfer they sent',
          tags: ['transfers'],
          params: { type: 'object', required: ['id'], properties: { id: uuid } },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const env = await staffEnvelope(deps.db, request.tenant, staffIdOf(request), id);
        if (env === undefined) throw new AppError('ERR_NOT_FOUND');
        return env;
      },
    );

    app.get(
      '/api/v1/received/:token/envelope',
      {
        schema: {
          summary: 'The recipient’s envelope of a level-3/4 transfer, or why there is none yet',
          tags: ['transfers'],
          params: {
            type: 'object',
            required: ['token'],
            properties: { token: { type: 'string', maxLength: 200 } },
          },
        },
      },
      async (request) => {
        const { token } = request.params as { token: string };
        const access = await resolveRecipientLink(deps, request.tenant.id, token);
        // The recipient's account by session, or by its personal API token (`amtsbote fetch`).
        const account = request.session?.account ?? request.accountToken?.account;
        if (
          access === undefined ||
          access.transfer.level < 3 ||
          account === undefined ||
          !mayRead(request, access)
        )
          throw new AppError('ERR_LINK_INVALID');
        return recipientEnvelope(deps.db, request.tenant.id, access.recipientId, account.id);
      },
    );

    app.get(
      '/api/v1/keys/rewraps',
      {
        schema: {
          summary:
            'Recipients of the caller’s level-3/4 transfers who created a key since: wrap the file key for them',
          tags: ['keys'],
          response: {
            200: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  transferId: { type: 'string' },
                  recipientId: { type: 'string' },
                  publicKey: { type: 'string' },
                  holder: { type: 'string' },
                  envelope: { type: 'string' },
                  departmentPublicKey: { type: ['string', 'null'] },
                  wrappedDepartmentKey: { type: ['string', 'null'] },
                },
              },
            },
          },
        },
      },
      async (request) => pendingRewraps(deps.db, request.tenant, staffIdOf(request), deps.clock.now()),
    );

    app.post(
      '/api/v1/keys/rewraps',
      {
        schema: {
          summary:
            'Store a re-wrapped file key for a recipient; the recipient is told the message can be opened now',
          tags: ['keys'],
          body: {
            type: 'object',
            required: ['transferId', 'recipientId', 'envelope'],
            additionalProperties: false,
            properties: { transferId: uuid, recipientId: uuid, envelope: b64 },
          },
        },
      },
      async (request, reply) => {
        const body = request.body as { transferId: string; recipientId: string; envelope: string };
        const notify = await storeRewrap(deps, request.tenant, staffIdOf(request), body, request.ipPrefix);
        if (notify !== undefined) {
          await deps.mailer.send(
            keyReadyMail(notify.email, notify.locale, {
              tenantName: request.tenant.name,
              link: `${tenantBaseUrl(request.tenant, deps.config)}/account`,
            }),
          );
        }
        return reply.status(204).send();
      },
    );
  };
}
