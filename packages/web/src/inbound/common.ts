import { typeList } from '@amtsbote/contracts';
import { descriptionList, sectionHeading } from '../components/ui.ts';
import { formatBytes } from '../format.ts';
import { html } from '../html.ts';
import type { Html } from '../html.ts';
import type { InboundMessages } from '../i18n/inbound.de.ts';
import { messages } from '../i18n/index.ts';
import { messageText, time } from '../pages/transfer-common.ts';
import type { PageContext } from '../types.ts';

// What the inbound pages share: their texts, and the facts of an upload link's request.
export function ti(ctx: PageContext): InboundMessages {
  return messages(ctx.locale).inbound;
}

/** An upload link as its public page shows it. */
export interface UploadRequestView {
  title: string;
  note: string;
  reference: string;
  departmentName: string;
  requester: string;
  email: string | null;
  level: number;
  allowedTypes: readonly string[];
  maxFileSize: number;
  expiresAt: Date;
}

/** The request behind an upload link: what is asked for, by whom, until when. */
export function requestFacts(ctx: PageContext, l: UploadRequestView): Html {
  const t = ti(ctx).contact;
  return html`<section class="ab-section" aria-labelledby="request-heading">
    ${sectionHeading(l.title, 'request-heading')}
    <p class="kern-body">${t.requestFrom(l.requester, l.departmentName)}</p>
    ${l.note !== '' && messageText(l.note)}
    ${descriptionList([
      ...(l.reference === '' ? [] : [[t.requestReference, l.reference] as const]),
      [t.requestTypes, typeList(l.allowedTypes)],
      [t.requestSize, formatBytes(l.maxFileSize, ctx.locale)],
      [t.requestUntil, time(l.expiresAt, ctx.locale)],
    ])}
  </section>`;
}
