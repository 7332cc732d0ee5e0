import { DAY } from '../../adapters/clock.ts';
import type { Tenant } from '../tenants/service.ts';

const GiB = 1024 ** 3;

/**
 * What a tenant allows for outgoing transfers. Stored in `tenants.settings.transfers`; any key
 * the tenant has not set takes the default here. The defaults follow what authorities get from
 * FTAPI today: 20 GiB per transfer, 60 days' availability, one year at most.
 */
export interface TransferPolicy {
  /** Largest single file, in bytes. */
  maxFileSize: number;
  /** Most files in one transfer. */
  maxFiles: number;
  /** Largest sum of file sizes in one transfer, in bytes. */
  maxTotalSize: number;
  /** Expiry offered when the sender chooses none, in days. */
  defaultExpiryDays: number;
  /** Longest expiry a sender may choose or extend to, in days (at most 365). */
  maxExpiryDays: number;
  /** How long an ended transfer stays in the sender's outbox as metadata, in days. */
  metadataRetentionDays: number;
}

export const DEFAULT_TRANSFER_POLICY: TransferPolicy = {
  maxFileSize: 20 * GiB,
  maxFiles: 100,
  maxTotalSize: 20 * GiB,
  defaultExpiryDays: 60,
  maxExpiryDays: 365,
  metadataRetentionDays: 90,
};

/** An unfinished draft's uploads are abandoned after this long. */
export const DRAFT_LIFETIME_MS = 2 * DAY;

function positiveInt(v: unknown, fallback: number, max: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? Math.min(v, max) : fallback;
}

export function transferPolicy(tenant: Pick<Tenant, 'settings'>): TransferPolicy {
  const raw = (tenant.settings as { transfers?: Record<string, unknown> }).transfers ?? {};
  const d = DEFAULT_TRANSFER_POLICY;
  const maxExpiryDays = positiveInt(raw.maxExpiryDays, d.maxExpiryDays, 365);
  return {
    maxFileSize: positiveInt(raw.maxFileSize, d.maxFileSize, Number.MAX_SAFE_INTEGER),
    maxFiles: positiveInt(raw.maxFiles, d.maxFiles, 10_000),
    maxTotalSize: positiveInt(raw.maxTotalSize, d.maxTotalSize, Number.MAX_SAFE_INTEGER),
    defaultExpiryDays: Math.min(positiveInt(raw.defaultExpiryDays, d.defaultExpiryDays, 365), maxExpiryDays),
    maxExpiryDays,
    metadataRetentionDays: positiveInt(raw.metadataRetentionDays, d.metadataRetentionDays, 3650),
  };
}
