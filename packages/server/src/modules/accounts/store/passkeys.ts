import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// The account's passkeys (WebAuthn credentials).

/** The account's credentials, as WebAuthn options list them (to exclude or to allow). */
export async function passkeyCredentialsOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<{ id: string; transports: string[] }[]> {
  const rows = await q.query<{ credential_id: string; transports: string[] }>(
    `SELECT credential_id, transports FROM account_passkeys WHERE tenant_id = $1 AND account_id = $2`,
    [tenantId, accountId],
  );
  return rows.map((r) => ({ id: r.credential_id, transports: r.transports }));
}

export interface NewPasskey {
  tenantId: string;
  id: string;
  accountId: string;
  credentialId: string;
  publicKey: Buffer;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
  at: Date;
}

export async function insertPasskey(q: Queryable, p: NewPasskey): Promise<void> {
  await q.query(
    `INSERT INTO account_passkeys (tenant_id, id, account_id, credential_id, public_key, counter, transports, device_type, backed_up, name, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      p.tenantId,
      p.id,
      p.accountId,
      p.credentialId,
      p.publicKey,
      p.counter,
      p.transports,
      p.deviceType,
      p.backedUp,
      p.name,
      p.at,
    ],
  );
}

/** A stored passkey, as checking a signature needs it. */
export interface StoredPasskey {
  id: string;
  accountId: string;
  publicKey: Buffer;
  counter: number;
  transports: string[];
}

/** The tenant's passkey with this credential id, of whichever account. */
export async function passkeyByCredential(
  q: Queryable,
  tenantId: string,
  credentialId: string,
): Promise<StoredPasskey | undefined> {
  const row = await one<{
    id: string;
    account_id: string;
    public_key: Buffer;
    counter: string;
    transports: string[];
  }>(
    q,
    `SELECT id, account_id, public_key, counter::text AS counter, transports FROM account_passkeys WHERE tenant_id = $1 AND credential_id = $2`,
    [tenantId, credentialId],
  );
  return row === undefined
    ? undefined
    : {
        id: row.id,
        accountId: row.account_id,
        publicKey: row.public_key,
        counter: Number(row.counter),
        transports: row.transports,
      };
}

/** Notes a use of the passkey: its new signature counter and when. */
export async function notePasskeyUse(
  q: Queryable,
  input: { tenantId: string; id: string; counter: number; at: Date },
): Promise<void> {
  await q.query(
    `UPDATE account_passkeys SET counter = $3, last_used_at = $4 WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, input.id, input.counter, input.at],
  );
}

/** Deletes one of the account's passkeys; false when it has none by that id. */
export async function deletePasskeyRow(
  q: Queryable,
  tenantId: string,
  accountId: string,
  passkeyId: string,
): Promise<boolean> {
  const gone = await q.query(
    `DELETE FROM account_passkeys WHERE tenant_id = $1 AND account_id = $2 AND id = $3 RETURNING id`,
    [tenantId, accountId, passkeyId],
  );
  return gone.length > 0;
}
