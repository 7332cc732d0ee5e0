import { inboundPaths } from '@amtsbote/contracts';
import { alertBox, descriptionList, link, pageHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { time } from '../pages/transfer-common.ts';
import type { Page, PageContext } from '../types.ts';
import { ti } from './common.ts';

// ---- After sending, and a link that no longer takes anything ------------------------------------

export function inboundDonePage(
  ctx: PageContext,
  o: {
    number: string;
    expiresAt: Date;
    recipient: string;
    notify: boolean;
    e2e: boolean;
    password: boolean;
    email: string;
  },
): Page {
  const t = ti(ctx).done;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      ${alertBox({ kind: 'success', title: t.text(o.recipient), role: 'status' })}
      ${descriptionList([
        [t.number, html`<strong>${o.number}</strong>`],
        [t.until, time(o.expiresAt, ctx.locale)],
      ])}
      <p class="kern-body">${t.numberHint}</p>
      ${o.password && alertBox({ kind: 'warning', title: t.password })}
      <p class="kern-body">${t.confirmation(o.email)}</p>
      ${o.notify && html`<p class="kern-body">${t.notify(o.email)}</p>`}
      <p class="kern-body">${link(inboundPaths.dropoff, t.again)}</p>`,
  };
}

export function uploadLinkClosedPage(
  ctx: PageContext,
  o: { status: 'used' | 'expired' | 'closed' | 'open'; department: string; requester: string },
): Page {
  const t = ti(ctx).closed;
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${o.status === 'used' ? t.used : o.status === 'closed' ? t.closed : t.expired}</p>
      <p class="kern-body">${t.help(o.requester, o.department)}</p>
      <p class="kern-body">${link(inboundPaths.dropoff, t.dropoffLink)}</p>`,
  };
}
