import { formFields, postForm, submitButton } from '../components/forms.ts';
import { alertBox, link, pageHeading, sectionHeading, table, tableRow } from '../components/ui.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { privacyPaths } from '@amtsbote/contracts';
import { accountPaths } from '@amtsbote/contracts';
import { paths } from '@amtsbote/contracts';
import type { FormState, Page, PageContext } from '../types.ts';

/** One retention rule as the admin page shows it (texts already in the page's language). */
export interface RetentionRow {
  id: string;
  what: string;
  period: string;
  days: number;
  defaultDays: number | undefined;
  minDays: number | undefined;
  maxDays: number | undefined;
  configurable: boolean;
}

/** Counts of one day for the statistics table. */
export interface StatsDay {
  day: string;
  values: Record<string, number>;
}

export interface RetentionAdminInput {
  rules: readonly RetentionRow[];
  stats: readonly StatsDay[];
  metrics: readonly string[];
  retentionForm?: FormState;
  requestForm?: FormState;
}

/** The form field of one rule's period. */
export function retentionField(id: string): string {
  return `days-${id}`;
}

function formatDay(day: string, locale: PageContext['locale']): string {
  const d = new Date(`${day}T12:00:00Z`);
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  }).format(d);
}

/** The tenant admin's page: retention periods (every module's), usage statistics, data requests. */
export function retentionAdminPage(ctx: PageContext, input: RetentionAdminInput): Page {
  const t = messages(ctx.locale).retention.admin;
  const form = input.retentionForm ?? { values: {}, errors: [] };
  const f = formFields(ctx, 'retention', form.errors);
  const configurable = input.rules.filter((r) => r.configurable);
  const req = input.requestForm ?? { values: {}, errors: [] };
  const rf = formFields(ctx, 'data-request', req.errors);
  const totals = Object.fromEntries(
    input.metrics.map((m) => [m, input.stats.reduce((sum, d) => sum + (d.values[m] ?? 0), 0)]),
  );
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${t.intro}</p>

      <section class="ab-section" aria-labelledby="retention-rules">
        ${sectionHeading(t.tableCaption, 'retention-rules')}
        ${table({
          id: 'retention-table',
          caption: t.tableCaption,
          captionHidden: true,
          head: [t.colWhat, t.colPeriod, t.colDays],
          rows: input.rules.map((r) =>
            tableRow([
              r.what,
              r.period,
              r.configurable
                ? String(r.days)
                : r.defaultDays === undefined
                  ? t.fixed
                  : `${r.days} (${t.fixed})`,
            ]),
          ),
        })}
        ${postForm({
          id: 'retention',
          action: privacyPaths.adminRetention,
          ctx,
          body: html`${f.errorSummary(
            configurable.map((r) => retentionField(r.id)),
            3,
          )}
          ${configurable.map((r) =>
            f.input({
              name: retentionField(r.id),
              label: r.what,
              hint: `${t.rangeHint(r.minDays ?? 1, r.maxDays ?? 1)}; ${t.colDefault}: ${r.defaultDays ?? ''}`,
              autocomplete: 'off',
              inputmode: 'numeric',
              value: form.values[retentionField(r.id)] ?? String(r.days),
              maxlength: 5,
            }),
          )}
          ${submitButton({ label: t.save })}`,
        })}
      </section>

      <section class="ab-section" aria-labelledby="retention-stats">
        ${sectionHeading(t.statsHeading, 'retention-stats')}
        <p class="kern-body">${t.statsIntro}</p>
        ${table({
          id: 'stats-table',
          caption: t.statsCaption,
          captionHidden: true,
          head: [t.colDay, ...input.metrics.map((m) => t.metric[m] ?? m)],
          rows: [
            tableRow([t.total, ...input.metrics.map((m) => String(totals[m] ?? 0))]),
            ...input.stats.map((d) =>
              tableRow([formatDay(d.day, ctx.locale), ...input.metrics.map((m) => String(d.values[m] ?? 0))]),
            ),
          ],
        })}
      </section>

      <section class="ab-section" aria-labelledby="retention-requests">
        ${sectionHeading(t.requestsHeading, 'retention-requests')}
        <p class="kern-body">${t.requestsIntro}</p>
        ${postForm({
          id: 'data-request',
          action: privacyPaths.adminExport,
          ctx,
          body: html`${rf.errorSummary(['email', 'confirm'], 3)}
          ${rf.input({ name: 'email', type: 'email', label: t.requestEmail, autocomplete: 'off', value: req.values.email ?? '', maxlength: 254 })}
          ${submitButton({ label: t.exportSubmit, variant: 'secondary' })}`,
        })}
        ${postForm({
          id: 'data-delete',
          action: privacyPaths.adminDelete,
          ctx,
          body: html`${rf.input({ name: 'email', type: 'email', label: t.requestEmail, autocomplete: 'off', value: req.values.email ?? '', maxlength: 254 })}
          ${rf.checkbox({ name: 'confirm', label: t.deleteConfirm, checked: false })}
          ${submitButton({ label: t.deleteSubmit, variant: 'secondary' })}`,
        })}
      </section>`,
  };
}

/** A service account's own data: download everything; the way to deletion (accounts module). */
export function myDataPage(ctx: PageContext): Page {
  const t = messages(ctx.locale).retention.myData;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${t.intro}</p>
      <section class="ab-section" aria-labelledby="my-data-export">
        ${sectionHeading(t.exportHeading, 'my-data-export')}
        <p class="kern-body">${t.exportText}</p>
        <p class="kern-body">
          <a class="kern-btn kern-btn--primary" href="${privacyPaths.myDataExport}" download
            ><span class="kern-label">${t.exportSubmit}</span></a
          >
        </p>
      </section>
      <section class="ab-section" aria-labelledby="my-data-delete">
        ${sectionHeading(t.deleteHeading, 'my-data-delete')}
        <p class="kern-body">${t.deleteText}</p>
        <p class="kern-body">${link(accountPaths.delete, t.deleteLink)}</p>
      </section>
      <section class="ab-section" aria-labelledby="my-data-rights">
        ${sectionHeading(t.rightsHeading, 'my-data-rights')}
        <p class="kern-body">${t.rightsText} ${link(paths.privacy, messages(ctx.locale).privacy.title)}</p>
      </section>`,
  };
}

/** The stop link of an organisation's deletion announcement: confirm, done, or no longer valid. */
export function keepOrganisationPage(
  ctx: PageContext,
  input: { state: 'confirm'; name: string; token: string } | { state: 'done' | 'invalid' },
): Page {
  const t = messages(ctx.locale).retention.keep;
  let body: Html;
  if (input.state === 'confirm') {
    body = html`<p class="kern-body">${t.text(input.name)}</p>
      ${postForm({ id: 'keep-organisation', action: privacyPaths.keep(input.token), ctx, body: submitButton({ label: t.submit }) })}`;
  } else if (input.state === 'done') {
    body = alertBox({
      kind: 'success',
      role: 'status',
      title: t.doneTitle,
      body: html`<p class="kern-body">${t.doneText}</p>`,
    });
  } else {
    body = alertBox({ kind: 'info', title: t.invalid });
  }
  return {
    title: t.title,
    body: html`${pageHeading(input.state === 'done' ? t.doneTitle : t.heading)} ${body}`,
    ...(input.state === 'invalid' ? { status: 404 } : {}),
  };
}
