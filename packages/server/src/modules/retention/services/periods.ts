import type { FieldError } from '@amtsbote/web';
import { messages, retentionField } from '@amtsbote/web';
import type { Locale } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { formString } from '../../../http/forms.ts';
import { recordAudit } from '../../audit/index.ts';
import type { Tenant, TenantSettings } from '../../tenants/index.ts';
import { saveTenantSettings } from '../../tenants/index.ts';
import type { RetentionRegistry } from '../registry.ts';
import { isConfigurable, withDays } from '../registry.ts';

/** The retention form read against the registry: the new settings, or what is wrong. */
export interface PeriodsForm {
  values: Record<string, string>;
  errors: FieldError[];
  settings: TenantSettings;
  /** The periods the form changes, by rule id. */
  changed: Record<string, number>;
}

/**
 * Reads the tenant admin's retention form: one field per configurable rule (the access log's
 * period is the operator's), empty meaning "leave as it is", each within its rule's bounds.
 */
export function readPeriodsForm(
  registry: RetentionRegistry,
  tenant: Tenant,
  body: unknown,
  locale: Locale,
): PeriodsForm {
  const t = messages(locale).retention.admin;
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  let settings = tenant.settings;
  const changed: Record<string, number> = {};
  for (const rule of registry.rules) {
    if (!isConfigurable(rule) || rule.id === 'access-log') continue;
    const field = retentionField(rule.id);
    const raw = formString(body, field);
    values[field] = raw;
    if (raw === '') continue;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < rule.minDays || n > rule.maxDays) {
      errors.push({ field, message: t.invalid(rule.minDays, rule.maxDays) });
      continue;
    }
    settings = withDays(rule, settings, n);
    changed[rule.id] = n;
  }
  return { values, errors, settings, changed };
}

/** Stores the tenant's new retention periods, on record (which periods, not who is affected). */
export async function saveRetentionPeriods(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  input: {
    tenant: Tenant;
    adminId: string;
    ipPrefix: string | undefined;
    form: Pick<PeriodsForm, 'settings' | 'changed'>;
  },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await saveTenantSettings(tx, input.tenant.id, input.form.settings);
    await recordAudit(tx, {
      tenantId: input.tenant.id,
      at: deps.clock.now(),
      actor: { kind: 'staff', id: input.adminId },
      action: 'retention.policy_changed',
      ipPrefix: input.ipPrefix,
      details: input.form.changed,
    });
  });
}
