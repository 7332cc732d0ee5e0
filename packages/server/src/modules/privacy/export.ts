import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { makeZip } from 'client-zip';
import type { FastifyReply } from 'fastify';
import { one } from '../../adapters/db/index.ts';
import { openText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { normaliseEmail } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';
import { contentDisposition } from '../transfers/downloads.ts';
import { contentKeyContext, textContext } from '../transfers/keys.ts';
import { isServable } from '../transfers/scan-status.ts';
import type { ScanStatus } from '../transfers/scan-status.ts';
import { effectiveStatus } from '../transfers/service.ts';
import { readFile } from '../transfers/storage.ts';
import { EXPORT_README } from './readme.ts';

type Deps = Pick<AppDeps, 'db' | 'blobs' | 'clock' | 'secrets' | 'keyring'>;

/** Whose data: a service account (and its address), or only an address (no account). */
export interface ExportSubject {
  accountId: string | undefined;
  email: string;
}

export interface ExportFile {
  /** Path inside the ZIP. */
  path: string;
  fileId: string;
  size: number;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
const iso = (d: Date | null | undefined): string | null =>
  d === null || d === undefined ? null : d.toISOString();

function safeName(name: string): string {
  const cleaned = name
    .replace(/[\p{Cc}/\\]/gu, '_')
    .replace(/^\.+/, '_')
    .slice(0, 150);
  return cleaned === '' ? 'file' : cleaned;
}

/**
 * Everything the portal holds about a person (Art. 15 and 20 GDPR), as one JSON document and
 * the files still available: profile, sign-in methods (never a secret), sessions, organisation
 * memberships and invitations, the grant-log entries about them, the messages addressed to them
 * or sent by them (metadata; subject, text and files while still available), drop-offs sent from
 * their address, and the audit events about them. Strictly scoped: only rows of this tenant
 * tied to this account id or this exact address.
 */
export async function buildExport(
  deps: Deps,
  tenant: Tenant,
  subject: ExportSubject,
): Promise<{ document: Record<string, Json>; files: ExportFile[] }> {
  const tenantId = tenant.id;
  const email = normaliseEmail(subject.email);
  const accountId = subject.accountId ?? null;
  const now = deps.clock.now();

  const account =
    accountId === null
      ? undefined
      : await one<{
          id: string;
          email: string;
          display_name: string | null;
          locale: string | null;
          created_at: Date;
          last_active_at: Date;
          password_set: boolean;
          password_changed_at: Date | null;
          totp_enabled_at: Date | null;
          recovery_codes_left: number;
        }>(
          deps.db,
          `SELECT a.id, a.email, a.display_name, a.locale, a.created_at, a.last_active_at, a.password_hash IS NOT NULL AS password_set, a.password_changed_at,
       CASE WHEN a.totp_key IS NULL THEN NULL ELSE a.totp_enabled_at END AS totp_enabled_at,
       (SELECT count(*)::int FROM account_recovery_codes r WHERE r.tenant_id = a.tenant_id AND r.account_id = a.id AND r.used_at IS NULL) AS recovery_codes_left
     FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2`,
          [tenantId, accountId],
        );
  const byAccount = async <R extends object>(sql: string): Promise<R[]> =>
    account === undefined ? [] : deps.db.query<R>(sql, [tenantId, account.id]);

  const passkeys = await byAccount<{
    name: string;
    created_at: Date;
    last_used_at: Date | null;
    device_type: string | null;
    backed_up: boolean;
  }>(
    `SELECT name, created_at, last_used_at, device_type, backed_up FROM account_passkeys WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at`,
  );
  const accessTokens = await byAccount<{
    name: string;
    created_at: Date;
    last_used_at: Date | null;
    expires_at: Date | null;
  }>(
    `SELECT name, created_at, last_used_at, expires_at FROM account_tokens WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at`,
  );
  const identities = await byAccount<{
    issuer: string;
    subject: string;
    acr: string | null;
    linked_at: Date;
    last_login_at: Date | null;
  }>(
    `SELECT issuer, subject, acr, linked_at, last_login_at FROM account_identities WHERE tenant_id = $1 AND account_id = $2 ORDER BY linked_at`,
  );
  const sessions = await byAccount<{
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    user_agent: string | null;
    ip_prefix: string | null;
    auth_method: string | null;
    locale: string | null;
  }>(
    `SELECT created_at, last_seen_at, expires_at, user_agent, ip_prefix, auth_method, locale FROM sessions WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at`,
  );
  const memberships = await byAccount<{ organisation_id: string; name: string; role: string; since: Date }>(
    `SELECT m.organisation_id, o.name, m.role, m.since FROM organisation_members m JOIN organisations o ON o.tenant_id = m.tenant_id AND o.id = m.organisation_id
     WHERE m.tenant_id = $1 AND m.account_id = $2 ORDER BY m.since`,
  );
  const invitations = await deps.db.query<{
    organisation: string;
    status: string;
    created_at: Date;
    expires_at: Date;
    accepted_at: Date | null;
    decided_at: Date | null;
  }>(
    `SELECT o.name AS organisation, i.status, i.created_at, i.expires_at, i.accepted_at, i.decided_at FROM organisation_invitations i
     JOIN organisations o ON o.tenant_id = i.tenant_id AND o.id = i.organisation_id
     WHERE i.tenant_id = $1 AND (i.email = $2 OR i.accepted_by = $3) ORDER BY i.created_at`,
    [tenantId, email, accountId],
  );
  const grantLog = await deps.db.query<{
    organisation: string;
    action: string;
    at: Date;
    by_email: string | null;
  }>(
    `SELECT o.name AS organisation, g.action, g.at, g.by_email FROM organisation_grant_log g JOIN organisations o ON o.tenant_id = g.tenant_id AND o.id = g.organisation_id
     WHERE g.tenant_id = $1 AND (g.account_id = $2 OR g.account_email = $3) ORDER BY g.at`,
    [tenantId, accountId, email],
  );

  // Messages addressed to them: bound to the account, or sent to their (proven) address.
  const received = await deps.db.query<{
    recipient_id: string;
    transfer_id: string;
    level: number;
    status: 'draft' | 'sent' | 'revoked' | 'expired';
    content_key: Buffer | null;
    subject: Buffer | null;
    message: Buffer | null;
    sender: string | null;
    department: string | null;
    file_count: number;
    total_size: number;
    sent_at: Date | null;
    expires_at: Date;
    ended_at: Date | null;
    notified_at: Date | null;
    first_opened_at: Date | null;
    first_downloaded_at: Date | null;
  }>(
    `SELECT r.id AS recipient_id, t.id AS transfer_id, t.level, t.status, t.content_key, t.subject, t.message,
       coalesce(s.display_name, s.email) AS sender, d.name AS department, t.file_count, t.total_size, t.sent_at, t.expires_at, t.ended_at,
       r.notified_at, r.first_opened_at, r.first_downloaded_at
     FROM transfer_recipients r JOIN transfers t ON t.tenant_id = r.tenant_id AND t.id = r.transfer_id
     LEFT JOIN staff s ON s.tenant_id = t.tenant_id AND s.id = t.sender_staff_id
     LEFT JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.to_department_id
     WHERE r.tenant_id = $1 AND t.status <> 'draft' AND (r.account_id = $2 OR r.email = $3) ORDER BY t.sent_at NULLS LAST, t.id`,
    [tenantId, accountId, email],
  );
  // Messages they sent: replies by link or account, and replies in an organisation's name.
  const sent = await deps.db.query<{
    transfer_id: string;
    level: number;
    status: 'draft' | 'sent' | 'revoked' | 'expired';
    content_key: Buffer | null;
    subject: Buffer | null;
    message: Buffer | null;
    file_count: number;
    total_size: number;
    sent_at: Date | null;
    expires_at: Date;
    ended_at: Date | null;
    in_reply_to: string | null;
  }>(
    `SELECT t.id AS transfer_id, t.level, t.status, t.content_key, t.subject, t.message, t.file_count, t.total_size, t.sent_at, t.expires_at, t.ended_at, t.in_reply_to
     FROM transfers t LEFT JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.id = t.sender_recipient_id
     WHERE t.tenant_id = $1 AND t.status <> 'draft' AND (t.sender_account_id = $2 OR r.account_id = $2 OR r.email = $3) ORDER BY t.sent_at NULLS LAST, t.id`,
    [tenantId, accountId, email],
  );
  // Drop-offs and uploads sent from their address without an account.
  const guestRows = await deps.db.query<{
    transfer_id: string;
    inbound: string | null;
    department: string | null;
    status: 'draft' | 'sent' | 'revoked' | 'expired';
    content_key: Buffer | null;
    subject: Buffer | null;
    message: Buffer | null;
    name: Buffer;
    phone: Buffer | null;
    verified: boolean;
    file_count: number;
    total_size: number;
    sent_at: Date | null;
    expires_at: Date;
    ended_at: Date | null;
  }>(
    `SELECT t.id AS transfer_id, t.inbound, d.name AS department, t.status, t.content_key, t.subject, t.message, g.name, g.phone, g.verified, t.file_count, t.total_size, t.sent_at, t.expires_at, t.ended_at
     FROM transfer_guests g JOIN transfers t ON t.tenant_id = g.tenant_id AND t.id = g.transfer_id
     LEFT JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.to_department_id
     WHERE g.tenant_id = $1 AND g.email = $2 AND t.status <> 'draft' ORDER BY t.sent_at NULLS LAST, t.id`,
    [tenantId, email],
  );

  const files: ExportFile[] = [];
  const open = (
    transferId: string,
    key: Buffer | null,
    status: 'draft' | 'sent' | 'revoked' | 'expired',
    expiresAt: Date,
  ) => {
    const live = key !== null && effectiveStatus({ status, expires_at: expiresAt }, now) === 'sent';
    return live ? deps.keyring.unwrap(key, contentKeyContext(tenantId, transferId)) : undefined;
  };
  const text = (
    key: Buffer | undefined,
    sealed: Buffer | null,
    rowId: string,
    field: 'subject' | 'message' | 'guest-name' | 'guest-phone',
  ): string | null => {
    if (key === undefined || sealed === null) return null;
    try {
      return openText(key, sealed, textContext(rowId, field));
    } catch {
      return null;
    }
  };
  const filesOf = async (transferId: string, key: Buffer | undefined): Promise<Json[]> => {
    const rows = await deps.db.query<{
      id: string;
      name: Buffer;
      size: number;
      completed_at: Date | null;
      scan_status: ScanStatus;
    }>(
      `SELECT id, name, size, completed_at, scan_status FROM transfer_files WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY position`,
      [tenantId, transferId],
    );
    return rows.map((f, i) => {
      const name =
        key === undefined
          ? null
          : (() => {
              try {
                return openText(key, f.name, textContext(f.id, 'name'));
              } catch {
                return null;
              }
            })();
      const included =
        key !== undefined && name !== null && f.completed_at !== null && isServable(f.scan_status);
      const path = included ? `files/${transferId}/${String(i + 1)}-${safeName(name)}` : null;
      if (path !== null) files.push({ path, fileId: f.id, size: f.size });
      return { name, size: f.size, scanStatus: f.scan_status, inZip: path };
    });
  };

  const receivedOut: Json[] = [];
  for (const r of received) {
    const key = open(r.transfer_id, r.content_key, r.status, r.expires_at);
    const downloads = await deps.db.query<{ at: Date; file_id: string | null }>(
      `SELECT at, file_id FROM transfer_downloads WHERE tenant_id = $1 AND recipient_id = $2 ORDER BY at`,
      [tenantId, r.recipient_id],
    );
    receivedOut.push({
      id: r.transfer_id,
      level: r.level,
      status: effectiveStatus({ status: r.status, expires_at: r.expires_at }, now),
      from: r.sender ?? r.department,
      subject: text(key, r.subject, r.transfer_id, 'subject'),
      message: text(key, r.message, r.transfer_id, 'message'),
      fileCount: r.file_count,
      totalSize: r.total_size,
      sentAt: iso(r.sent_at),
      expiresAt: iso(r.expires_at),
      endedAt: iso(r.ended_at),
      notifiedAt: iso(r.notified_at),
      firstOpenedAt: iso(r.first_opened_at),
      firstDownloadedAt: iso(r.first_downloaded_at),
      downloads: downloads.map((d) => ({ at: iso(d.at), file: d.file_id ?? 'zip' })),
      files: await filesOf(r.transfer_id, key),
    });
    key?.fill(0);
  }
  const sentOut: Json[] = [];
  for (const s of sent) {
    const key = open(s.transfer_id, s.content_key, s.status, s.expires_at);
    sentOut.push({
      id: s.transfer_id,
      inReplyTo: s.in_reply_to,
      level: s.level,
      status: effectiveStatus({ status: s.status, expires_at: s.expires_at }, now),
      subject: text(key, s.subject, s.transfer_id, 'subject'),
      message: text(key, s.message, s.transfer_id, 'message'),
      fileCount: s.file_count,
      totalSize: s.total_size,
      sentAt: iso(s.sent_at),
      expiresAt: iso(s.expires_at),
      endedAt: iso(s.ended_at),
      files: await filesOf(s.transfer_id, key),
    });
    key?.fill(0);
  }
  const dropoffs: Json[] = [];
  for (const g of guestRows) {
    const key = open(g.transfer_id, g.content_key, g.status, g.expires_at);
    dropoffs.push({
      id: g.transfer_id,
      kind: g.inbound,
      to: g.department,
      status: effectiveStatus({ status: g.status, expires_at: g.expires_at }, now),
      name: text(key, g.name, g.transfer_id, 'guest-name'),
      phone: text(key, g.phone, g.transfer_id, 'guest-phone'),
      addressVerified: g.verified,
      subject: text(key, g.subject, g.transfer_id, 'subject'),
      message: text(key, g.message, g.transfer_id, 'message'),
      fileCount: g.file_count,
      totalSize: g.total_size,
      sentAt: iso(g.sent_at),
      expiresAt: iso(g.expires_at),
      endedAt: iso(g.ended_at),
      files: await filesOf(g.transfer_id, key),
    });
    key?.fill(0);
  }

  // Audit events about them: what they did (as account or as a recipient by link) and what
  // was done to their account. IP addresses only as the stored prefix.
  const recipientIds = received.map((r) => r.recipient_id);
  const audit = await deps.db.query<{
    at: Date;
    action: string;
    actor_kind: string;
    subject_kind: string | null;
    subject_id: string | null;
    ip_prefix: string | null;
    details: Json;
  }>(
    `SELECT at, action, actor_kind, subject_kind, subject_id, ip_prefix, details FROM audit_events
     WHERE tenant_id = $1 AND ((actor_kind = 'account' AND actor_id = $2) OR (subject_kind = 'account' AND subject_id = $2) OR (actor_kind = 'guest' AND actor_id = ANY($3::uuid[])))
     ORDER BY at, id`,
    [tenantId, accountId, recipientIds],
  );

  const document: Record<string, Json> = {
    format: 'amtsbote-export/1',
    generatedAt: now.toISOString(),
    authority: tenant.name,
    subject: { email, hasServiceAccount: account !== undefined },
    profile:
      account === undefined
        ? null
        : {
            id: account.id,
            email: account.email,
            displayName: account.display_name,
            language: account.locale,
            createdAt: iso(account.created_at),
            lastActiveAt: iso(account.last_active_at),
            passwordSet: account.password_set,
            passwordChangedAt: iso(account.password_changed_at),
            authenticatorAppSince: iso(account.totp_enabled_at),
            recoveryCodesLeft: account.recovery_codes_left,
            passkeys: passkeys.map((p) => ({
              name: p.name,
              createdAt: iso(p.created_at),
              lastUsedAt: iso(p.last_used_at),
              deviceType: p.device_type,
              backedUp: p.backed_up,
            })),
            // The secret's hash stays out: it is no personal datum, and it would help guess the secret.
            accessTokens: accessTokens.map((t) => ({
              name: t.name,
              createdAt: iso(t.created_at),
              lastUsedAt: iso(t.last_used_at),
              expiresAt: iso(t.expires_at),
            })),
            identities: identities.map((i) => ({
              issuer: i.issuer,
              subject: i.subject,
              trustLevel: i.acr,
              linkedAt: iso(i.linked_at),
              lastLoginAt: iso(i.last_login_at),
            })),
          },
    sessions: sessions.map((s) => ({
      createdAt: iso(s.created_at),
      lastSeenAt: iso(s.last_seen_at),
      expiresAt: iso(s.expires_at),
      userAgent: s.user_agent,
      ipPrefix: s.ip_prefix,
      signInMethod: s.auth_method,
      language: s.locale,
    })),
    memberships: memberships.map((m) => ({
      organisationId: m.organisation_id,
      organisation: m.name,
      role: m.role,
      since: iso(m.since),
    })),
    organisationInvitations: invitations.map((i) => ({
      organisation: i.organisation,
      status: i.status,
      createdAt: iso(i.created_at),
      expiresAt: iso(i.expires_at),
      acceptedAt: iso(i.accepted_at),
      decidedAt: iso(i.decided_at),
    })),
    organisationAccessLog: grantLog.map((g) => ({
      organisation: g.organisation,
      action: g.action,
      at: iso(g.at),
      by: g.by_email,
    })),
    messagesReceived: receivedOut,
    messagesSent: sentOut,
    dropoffs,
    auditEvents: audit.map((a) => ({
      at: iso(a.at),
      action: a.action,
      actor: a.actor_kind,
      subjectKind: a.subject_kind,
      subjectId: a.subject_id,
      ipPrefix: a.ip_prefix,
      details: a.details,
    })),
  };
  return { document, files };
}

/** The export as a streamed ZIP: README.md (de/en), data.json, files/…; nothing staged on disk. */
export async function sendExportZip(
  deps: Deps,
  reply: FastifyReply,
  tenant: Tenant,
  subject: ExportSubject,
): Promise<FastifyReply> {
  const { document, files } = await buildExport(deps, tenant, subject);
  const json = Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
  const readme = Buffer.from(EXPORT_README, 'utf8');
  const modified = deps.clock.now();
  async function* entries() {
    yield { name: 'README.md', input: readme, lastModified: modified };
    yield { name: 'data.json', input: json, lastModified: modified };
    for (const f of files) {
      try {
        yield {
          name: f.path,
          size: f.size,
          input: await readFile(deps, tenant.id, f.fileId),
          lastModified: modified,
        };
      } catch {
        // Ended between listing and reading: the JSON still describes it.
      }
    }
  }
  const zip = makeZip(entries()) as unknown as NodeReadableStream<Uint8Array>;
  const day = modified.toISOString().slice(0, 10);
  return reply
    .header('content-disposition', contentDisposition(`amtsbote-daten-${day}.zip`))
    .header('cache-control', 'private, no-store')
    .type('application/zip')
    .send(Readable.fromWeb(zip));
}
