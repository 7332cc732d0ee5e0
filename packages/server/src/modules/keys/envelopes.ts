import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { Tenant } from '../tenants/index.ts';
import { storeOrganisationEnvelope } from './organisation-envelopes.ts';
import {
  b64,
  currentPersonalKey,
  decodeEnvelope,
  recipientAccount,
  sharesDepartmentOutboxes,
} from './service.ts';

/**
 * The file-key envelopes of level-3/4 transfers: stored for a draft (sender, recipients,
 * departments), sealed on sending, and handed to the sender and the recipients' browsers.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

export interface EnvelopeInput {
  holder: 'sender' | 'recipient' | 'department';
  email?: string | undefined;
  departmentKeyId?: string | undefined;
  envelope: string;
}

/**
 * Stores the envelopes of a level-3/4 draft, made by the sender's browser or CLI: always one for
 * the sender's own current key; one per recipient who has a key; one per current key of the
 * sender's departments where the tenant shares department outboxes. Replaces earlier ones.
 * @throws {AppError} ERR_NOT_FOUND (no such draft of this sender), ERR_KEY_FORMAT,
 *   ERR_PERSONAL_KEY_MISSING (the sender has no key), ERR_VALIDATION (an unknown holder)
 */
export async function storeDraftEnvelopes(
  deps: Deps,
  tenant: Tenant,
  staffId: string,
  transferId: string,
  envelopes: EnvelopeInput[],
): Promise<void> {
  const decoded = envelopes.map((e, i) => ({
    ...e,
    bytes: decodeEnvelope(e.envelope, `envelopes.${String(i)}`),
  }));
  await deps.db.transaction(async (tx) => {
    const draft = await one<{ level: number }>(
      tx,
      `SELECT level FROM transfers WHERE tenant_id = $1 AND id = $2 AND status = 'draft' AND sender_staff_id = $3 FOR UPDATE`,
      [tenant.id, transferId, staffId],
    );
    if (draft === undefined || draft.level < 3) throw new AppError('ERR_NOT_FOUND');
    const own = await currentPersonalKey(tx, tenant.id, { kind: 'staff', id: staffId });
    if (own === undefined) throw new AppError('ERR_PERSONAL_KEY_MISSING');
    const now = deps.clock.now();
    await tx.query(`DELETE FROM transfer_envelopes WHERE tenant_id = $1 AND transfer_id = $2`, [
      tenant.id,
      transferId,
    ]);
    for (const [i, e] of decoded.entries()) {
      const bad = new AppError('ERR_VALIDATION', {
        fields: [{ field: `envelopes.${String(i)}`, code: 'ERR_VALIDATION' }],
      });
      if (e.holder === 'sender') {
        await tx.query(
          `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, personal_key_id, envelope, created_at, created_by) VALUES ($1, $2, $3, 'sender', $4, $5, $6, $7)`,
          [tenant.id, deps.secrets.id(), transferId, own.id, e.bytes, now, staffId],
        );
      } else if (e.holder === 'recipient') {
        const email = (e.email ?? '').trim().toLowerCase();
        const args = {
          tenantId: tenant.id,
          id: deps.secrets.id(),
          transferId,
          email,
          envelope: e.bytes,
          now,
          staffId,
          field: `envelopes.${String(i)}`,
        };
        if (await storeOrganisationEnvelope(tx, args)) continue;
        const rows = await tx.query(
          `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, personal_key_id, envelope, created_at, created_by)
           SELECT $1, $2, $3, 'recipient', r.id, k.id, $5, $6, $7 FROM transfer_recipients r
             JOIN personal_keys k ON k.tenant_id = r.tenant_id AND k.account_id = ${recipientAccount} AND k.retired_at IS NULL
           WHERE r.tenant_id = $1 AND r.transfer_id = $3 AND r.email = $4 RETURNING id`,
          [
            tenant.id,
            deps.secrets.id(),
            transferId,
            (e.email ?? '').trim().toLowerCase(),
            e.bytes,
            now,
            staffId,
          ],
        );
        if (rows.length === 0) throw bad;
      } else {
        if (!sharesDepartmentOutboxes(tenant)) throw bad;
        const rows = await tx.query(
          `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, department_key_id, envelope, created_at, created_by)
           SELECT $1, $2, $3, 'department', k.id, $5, $6, $7 FROM department_keys k
             JOIN department_members m ON m.tenant_id = k.tenant_id AND m.department_id = k.department_id AND m.staff_id = $7
           WHERE k.tenant_id = $1 AND k.id = $4 AND k.retired_at IS NULL RETURNING id`,
          [tenant.id, deps.secrets.id(), transferId, e.departmentKeyId ?? null, e.bytes, now, staffId],
        );
        if (rows.length === 0) throw bad;
      }
    }
  });
}

/**
 * Called by sendDraft inside its transaction for a level-3/4 transfer: the sender's own envelope
 * must be there (so the sender can read the outbox and complete delivery later); the transfer and
 * its files are marked end-to-end (the files are "not scanned (end-to-end encrypted)").
 * @throws {AppError} ERR_SENDER_ENVELOPE_MISSING
 */
export async function sealEndToEnd(
  tx: Queryable,
  tenantId: string,
  transferId: string,
  level: number,
): Promise<void> {
  const own = await one(
    tx,
    `SELECT 1 AS x FROM transfer_envelopes WHERE tenant_id = $1 AND transfer_id = $2 AND holder = 'sender'`,
    [tenantId, transferId],
  );
  if (own === undefined) throw new AppError('ERR_SENDER_ENVELOPE_MISSING');
  await tx.query(
    `UPDATE transfers SET e2e = 'recipients', e2e_message = $3 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, transferId, level >= 4],
  );
  await tx.query(`UPDATE transfer_files SET scan_status = 'e2e' WHERE tenant_id = $1 AND transfer_id = $2`, [
    tenantId,
    transferId,
  ]);
}

/** What a recipient's browser needs to open a level-3/4 transfer. */
export interface RecipientEnvelopeState {
  /** `ready`: the envelope is there; `no-key`: create a key first; `waiting`: for the sender's side. */
  state: 'ready' | 'no-key' | 'waiting';
  envelope: string | null;
  publicKey: string | null;
}

export async function recipientEnvelope(
  q: Queryable,
  tenantId: string,
  recipientId: string,
  accountId: string,
): Promise<RecipientEnvelopeState> {
  const key = await currentPersonalKey(q, tenantId, { kind: 'account', id: accountId });
  const env = await one<{ envelope: Buffer; public_key: string | null }>(
    q,
    `SELECT e.envelope, k.public_key FROM transfer_envelopes e LEFT JOIN personal_keys k ON k.tenant_id = e.tenant_id AND k.id = e.personal_key_id
     WHERE e.tenant_id = $1 AND e.recipient_id = $2`,
    [tenantId, recipientId],
  );
  if (key !== undefined && env?.public_key === key.publicKey) {
    return { state: 'ready', envelope: b64(env.envelope), publicKey: key.publicKey };
  }
  return {
    state: key === undefined ? 'no-key' : 'waiting',
    envelope: null,
    publicKey: key?.publicKey ?? null,
  };
}

/** The sender's own envelope (or a department's, for a member where outboxes are shared). */
export async function staffEnvelope(
  q: Queryable,
  tenant: Tenant,
  staffId: string,
  transferId: string,
): Promise<
  | {
      holder: 'sender' | 'addressee' | 'department';
      envelope: string;
      departmentKeyId: string | null;
      departmentPublicKey: string | null;
      wrappedDepartmentKey: string | null;
    }
  | undefined
> {
  const own = await one<{ envelope: Buffer }>(
    q,
    `SELECT e.envelope FROM transfer_envelopes e JOIN transfers t ON t.tenant_id = e.tenant_id AND t.id = e.transfer_id
     WHERE e.tenant_id = $1 AND e.transfer_id = $2 AND e.holder = 'sender' AND t.sender_staff_id = $3`,
    [tenant.id, transferId, staffId],
  );
  if (own !== undefined)
    return {
      holder: 'sender',
      envelope: b64(own.envelope),
      departmentKeyId: null,
      departmentPublicKey: null,
      wrappedDepartmentKey: null,
    };
  // A level-3/4 reply from a recipient, addressed to the caller (keys/replies.ts).
  const addressed = await one<{ envelope: Buffer }>(
    q,
    `SELECT e.envelope FROM transfer_envelopes e JOIN transfers t ON t.tenant_id = e.tenant_id AND t.id = e.transfer_id
     WHERE e.tenant_id = $1 AND e.transfer_id = $2 AND e.holder = 'addressee' AND t.to_staff_id = $3`,
    [tenant.id, transferId, staffId],
  );
  if (addressed !== undefined)
    return {
      holder: 'addressee',
      envelope: b64(addressed.envelope),
      departmentKeyId: null,
      departmentPublicKey: null,
      wrappedDepartmentKey: null,
    };
  if (!sharesDepartmentOutboxes(tenant)) return undefined;
  const dept = await one<{ envelope: Buffer; key_id: string; public_key: string; share: Buffer }>(
    q,
    `SELECT e.envelope, e.department_key_id AS key_id, k.public_key, s.wrapped_private_key AS share FROM transfer_envelopes e
       JOIN department_keys k ON k.tenant_id = e.tenant_id AND k.id = e.department_key_id
       JOIN department_key_shares s ON s.tenant_id = e.tenant_id AND s.key_id = e.department_key_id AND s.staff_id = $3
       JOIN personal_keys p ON p.tenant_id = s.tenant_id AND p.id = s.personal_key_id AND p.retired_at IS NULL
       JOIN department_members m ON m.tenant_id = k.tenant_id AND m.department_id = k.department_id AND m.staff_id = $3
     WHERE e.tenant_id = $1 AND e.transfer_id = $2 AND e.holder = 'department' LIMIT 1`,
    [tenant.id, transferId, staffId],
  );
  return dept === undefined
    ? undefined
    : {
        holder: 'department',
        envelope: b64(dept.envelope),
        departmentKeyId: dept.key_id,
        departmentPublicKey: dept.public_key,
        wrappedDepartmentKey: b64(dept.share),
      };
}
