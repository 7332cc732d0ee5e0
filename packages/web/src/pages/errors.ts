import { link, pageHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { paths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../types.ts';

/** 404, also for used or expired links: the same page, so it reveals nothing about tokens. */
export function notFoundPage(ctx: PageContext): Page {
  const t = messages(ctx.locale).errors;
  return {
    title: t.notFoundTitle,
    body: html`${pageHeading(t.notFoundTitle)}
      <p class="kern-body">${t.notFoundText}</p>
      <p class="kern-body">${t.notFoundLinks}</p>
      <p class="kern-body">${t.notFoundHelp}</p>
      <p class="kern-body">${link(paths.start, t.startLink)}</p>`,
  };
}

/**
 * Any other failure. `message` is the error registry's text for the code (the server's only
 * source of user-facing errors); without it, a generic one. Never a stack trace or internal
 * detail: only the request id, which finds the log line.
 */
export function errorPage(ctx: PageContext, o: { requestId: string; message?: string }): Page {
  const t = messages(ctx.locale).errors;
  return {
    title: t.errorTitle,
    body: html`${pageHeading(t.errorTitle)}
      <p class="kern-body">${o.message ?? t.errorText}</p>
      <p class="kern-body">${t.requestId}: <code>${o.requestId}</code></p>
      <p class="kern-body kern-body--small">${t.requestIdHelp}</p>
      <p class="kern-body">${link(paths.start, t.startLink)}</p>`,
  };
}
