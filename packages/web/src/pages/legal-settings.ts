import { alertBox } from '../components/ui.ts';
import type { Html } from '../html.ts';
import { html, lines, safeHref } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { PageContext } from '../types.ts';

/**
 * What a tenant fills in for its privacy notice, imprint and accessibility statement. Kept
 * flat: the server merges the tenant's JSON settings over {@link defaultLegalSettings} key by
 * key. Multi-line strings (addresses, barriers) use one line per entry.
 */
export interface TenantLegalSettings {
  /** The authority responsible (controller, publisher). */
  controllerName: string;
  controllerLegalForm: string;
  controllerRepresentative: string;
  controllerAddress: string;
  contactEmail: string;
  contactPhone: string;
  /** The body that supervises the authority (for the imprint). */
  oversightAuthority: string;
  vatId: string;
  /** Responsible for the content under § 18 (2) MStV. */
  contentResponsible: string;

  /** Data-protection officer. */
  dpoName: string;
  dpoAddress: string;
  dpoEmail: string;
  dpoPhone: string;
  /** Data-protection supervisory authority (complaints, Art. 77 GDPR). */
  supervisoryAuthorityName: string;
  supervisoryAuthorityAddress: string;
  supervisoryAuthorityWebsite: string;
  /** Who runs the portal on the authority's behalf (Art. 28 GDPR); empty when it runs it itself. */
  processorName: string;
  hostingLocation: string;

  /** Retention, in days. */
  transferRetentionDays: number;
  metadataRetentionDays: number;
  auditRetentionDays: number;
  inactiveAccountDays: number;
  logRetentionDays: number;

  /** Accessibility statement (BITV 2.0). */
  conformityStatus: 'full' | 'partial' | 'none';
  /** Barriers beyond the portal's standard list, one per line. */
  knownBarriers: string;
  /** Date of the statement, YYYY-MM-DD. */
  statementDate: string;
  statementReviewedDate: string;
  statementMethod: 'self-assessment' | 'external-audit';
  feedbackEmail: string;
  feedbackPhone: string;
  /** Conciliation / enforcement body (Schlichtungsstelle, Durchsetzungsverfahren). */
  enforcementBodyName: string;
  enforcementBodyAddress: string;
  enforcementBodyPhone: string;
  enforcementBodyEmail: string;
  enforcementBodyWebsite: string;
}

/**
 * Defaults for a new tenant. Everything marked "(Beispiel)", with `.example` addresses or an
 * empty date is a demo value the tenant admin must replace; the legal pages say so in a
 * warning as long as any of them is left. Retention periods and the processing description
 * are the portal's real behaviour.
 */
export function defaultLegalSettings(tenantName: string): TenantLegalSettings {
  return {
    controllerName: tenantName,
    controllerLegalForm: 'Körperschaft des öffentlichen Rechts (Beispiel)',
    controllerRepresentative:
      'Die Behördenleitung, zum Beispiel die Bürgermeisterin oder der Bürgermeister (Beispiel)',
    controllerAddress: 'Musterstraße 1 (Beispiel)\n12345 Musterstadt',
    contactEmail: 'poststelle@behoerde.example',
    contactPhone: '+49 000 0000000 (Beispiel)',
    oversightAuthority: 'Die zuständige Rechtsaufsichtsbehörde (Beispiel)',
    vatId: '',
    contentResponsible: 'Name der verantwortlichen Person, Anschrift wie oben (Beispiel)',
    dpoName: 'Die oder der behördliche Datenschutzbeauftragte (Beispiel)',
    dpoAddress: 'Musterstraße 1 (Beispiel)\n12345 Musterstadt',
    dpoEmail: 'datenschutz@behoerde.example',
    dpoPhone: '',
    supervisoryAuthorityName:
      'Die oder der Landesbeauftragte für den Datenschutz Ihres Bundeslandes (Beispiel)',
    supervisoryAuthorityAddress: '',
    supervisoryAuthorityWebsite: '',
    processorName: '',
    hostingLocation: 'Deutschland',
    transferRetentionDays: 60,
    metadataRetentionDays: 90,
    auditRetentionDays: 365,
    inactiveAccountDays: 90,
    logRetentionDays: 7,
    // Honest until an audit says otherwise: automated and keyboard checks only so far.
    conformityStatus: 'partial',
    knownBarriers: '',
    statementDate: '',
    statementReviewedDate: '',
    statementMethod: 'self-assessment',
    feedbackEmail: 'barrierefreiheit@behoerde.example',
    feedbackPhone: '',
    // The federal body; authorities of a Land or a municipality enter their Land's body.
    enforcementBodyName:
      'Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz (Beispiel – Landes- und Kommunalbehörden tragen die Stelle ihres Landes ein)',
    enforcementBodyAddress: 'Mauerstraße 53\n10117 Berlin',
    enforcementBodyPhone: '',
    enforcementBodyEmail: 'info@schlichtungsstelle-bgg.de',
    enforcementBodyWebsite: 'https://www.schlichtungsstelle-bgg.de',
  };
}

const enums: Partial<Record<keyof TenantLegalSettings, readonly string[]>> = {
  conformityStatus: ['full', 'partial', 'none'],
  statementMethod: ['self-assessment', 'external-audit'],
};

/**
 * The settings with every field of the right type: tenant settings are JSON anyone with admin
 * rights edited, so a wrong type or unknown value falls back to the default, never breaks a page.
 */
export function resolveLegalSettings(input: unknown, tenantName: string): TenantLegalSettings {
  const defaults = defaultLegalSettings(tenantName);
  const given = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const out: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof TenantLegalSettings)[]) {
    const value = given[key];
    const fallback = defaults[key];
    if (typeof fallback === 'number') {
      if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 100_000)
        out[key] = value;
    } else if (typeof value === 'string' && (enums[key] === undefined || enums[key].includes(value))) {
      out[key] = value.trim();
    }
  }
  return out as unknown as TenantLegalSettings;
}

/** Whether any of these fields still holds its demo value (or is empty where the default is). */
export function hasDemoValues(
  s: TenantLegalSettings,
  tenantName: string,
  fields: readonly (keyof TenantLegalSettings)[],
): boolean {
  const d = defaultLegalSettings(tenantName);
  return fields.some(
    (f) => s[f] === d[f] && (typeof d[f] !== 'string' || d[f] === '' || /Beispiel|\.example\b/.test(d[f])),
  );
}

/** The warning shown while a legal page still shows demo values. */
export function demoNotice(ctx: PageContext): Html {
  const t = messages(ctx.locale).legal;
  return alertBox({
    kind: 'warning',
    title: t.demoTitle,
    body: html`<p class="kern-body">${t.demoText}</p>`,
  });
}

/** A postal and electronic address block; empty parts are left out. */
export function contactBlock(
  ctx: PageContext,
  c: {
    name?: string;
    representative?: string;
    address?: string;
    email?: string;
    phone?: string;
    website?: string;
  },
): Html {
  const t = messages(ctx.locale).legal;
  const mail = c.email === undefined || c.email === '' ? undefined : safeHref(`mailto:${c.email}`);
  const tel =
    c.phone === undefined || c.phone === '' ? undefined : safeHref(`tel:${c.phone.replace(/[^\d+]/g, '')}`);
  const web = safeHref(c.website);
  return html`<address class="ab-address kern-body">
    ${c.name !== undefined && c.name !== '' && html`<strong>${c.name}</strong><br />`}
    ${c.representative !== undefined && c.representative !== '' && html`${t.representedBy}: ${c.representative}<br />`}
    ${c.address !== undefined && c.address !== '' && html`${lines(c.address)}<br />`}
    ${c.email !== undefined && c.email !== '' && html`${t.email}: ${mail === undefined ? c.email : html`<a class="kern-link" href="${mail}">${c.email}</a>`}<br />`}
    ${c.phone !== undefined && c.phone !== '' && html`${t.phone}: ${tel === undefined ? c.phone : html`<a class="kern-link" href="${tel}">${c.phone}</a>`}<br />`}
    ${c.website !== undefined && c.website !== '' && html`${t.website}: ${web === undefined ? c.website : html`<a class="kern-link" href="${web}">${c.website}</a>`}`}
  </address>`;
}
