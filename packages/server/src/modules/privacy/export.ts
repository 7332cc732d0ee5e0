import type { Queryable } from '../../adapters/db/index.ts';
import { openText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { exportAccessTokens, exportIdentities, exportPasskeys, exportProfile } from '../accounts/index.ts';
import { exportAuditEventsAbout } from '../audit/index.ts';
import { exportSessionsOf } from '../auth/index.ts';
import { exportGrantLogAbout, exportInvitationsFor, exportMembershipsOf } from '../organisations/index.ts';
import { normaliseEmail } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import {
  contentKeyContext,
  downloadsBy,
  effectiveStatus,
  exportFileRows,
  guestDeliveriesFrom,
  isServable,
  receivedBy,
  sentBy,
  textContext,
} from '../transfers/index.ts';

export type ExportDeps = Pick<AppDeps, 'db' | 'blobs' | 'clock' | 'secrets' | 'keyring'>;
type Deps = ExportDeps;

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

  const account = accountId === null ? undefined : await exportProfile(deps.db, tenantId, accountId);
  const byAccount = async <R>(
    read: (q: Queryable, tenantId: string, accountId: string) => Promise<R[]>,
  ): Promise<R[]> => (account === undefined ? [] : read(deps.db, tenantId, account.id));

  const passkeys = await byAccount(exportPasskeys);
  const accessTokens = await byAccount(exportAccessTokens);
  const identities = await byAccount(exportIdentities);
  const sessions = await byAccount(exportSessionsOf);
  const memberships = await byAccount(exportMembershipsOf);
  const invitations = await exportInvitationsFor(deps.db, tenantId, email, accountId);
  const grantLog = await exportGrantLogAbout(deps.db, tenantId, accountId, email);

  // Messages addressed to them: bound to the account, or sent to their (proven) address.
  const received = await receivedBy(deps.db, tenantId, accountId, email);
  // Messages they sent: replies by link or account, and replies in an organisation's name.
  const sent = await sentBy(deps.db, tenantId, accountId, email);
  // Drop-offs and uploads sent from their address without an account.
  const guestRows = await guestDeliveriesFrom(deps.db, tenantId, email);

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
    const rows = await exportFileRows(deps.db, tenantId, transferId);
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
    const downloads = await downloadsBy(deps.db, tenantId, r.recipient_id);
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
  const audit = await exportAuditEventsAbout(deps.db, tenantId, accountId, recipientIds);

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
            displayName: account.displayName,
            language: account.locale,
            createdAt: iso(account.createdAt),
            lastActiveAt: iso(account.lastActiveAt),
            passwordSet: account.passwordSet,
            passwordChangedAt: iso(account.passwordChangedAt),
            authenticatorAppSince: iso(account.totpEnabledAt),
            recoveryCodesLeft: account.recoveryCodesLeft,
            passkeys: passkeys.map((p) => ({
              name: p.name,
              createdAt: iso(p.createdAt),
              lastUsedAt: iso(p.lastUsedAt),
              deviceType: p.deviceType,
              backedUp: p.backedUp,
            })),
            // The secret's hash stays out: it is no personal datum, and it would help guess the secret.
            accessTokens: accessTokens.map((t) => ({
              name: t.name,
              createdAt: iso(t.createdAt),
              lastUsedAt: iso(t.lastUsedAt),
              expiresAt: iso(t.expiresAt),
            })),
            identities: identities.map((i) => ({
              issuer: i.issuer,
              subject: i.subject,
              trustLevel: i.acr,
              linkedAt: iso(i.linkedAt),
              lastLoginAt: iso(i.lastLoginAt),
            })),
          },
    sessions: sessions.map((s) => ({
      createdAt: iso(s.createdAt),
      lastSeenAt: iso(s.lastSeenAt),
      expiresAt: iso(s.expiresAt),
      userAgent: s.userAgent,
      ipPrefix: s.ipPrefix,
      signInMethod: s.authMethod,
      language: s.locale,
    })),
    memberships: memberships.map((m) => ({
      organisationId: m.organisationId,
      organisation: m.name,
      role: m.role,
      since: iso(m.since),
    })),
    organisationInvitations: invitations.map((i) => ({
      organisation: i.organisation,
      status: i.status,
      createdAt: iso(i.createdAt),
      expiresAt: iso(i.expiresAt),
      acceptedAt: iso(i.acceptedAt),
      decidedAt: iso(i.decidedAt),
    })),
    organisationAccessLog: grantLog.map((g) => ({
      organisation: g.organisation,
      action: g.action,
      at: iso(g.at),
      by: g.byEmail,
    })),
    messagesReceived: receivedOut,
    messagesSent: sentOut,
    dropoffs,
    auditEvents: audit.map((a) => ({
      at: iso(a.at),
      action: a.action,
      actor: a.actorKind,
      subjectKind: a.subjectKind,
      subjectId: a.subjectId,
      ipPrefix: a.ipPrefix,
      details: a.details,
    })),
  };
  return { document, files };
}
