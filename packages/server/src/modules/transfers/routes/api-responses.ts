// Response schemas of the staff transfer API (they also shape /api/openapi.json).

import type { RecipientStatus } from '../recipients.ts';
import type { OutboxEntry, TransferView } from '../views.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

const fileSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string' },
    size: { type: 'integer' },
    complete: { type: 'boolean' },
  },
} as const;

/** The caller's postbox, newest first. */
export const outboxEntryList = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      level: { type: 'integer' },
      status: { type: 'string' },
      subject: { type: ['string', 'null'] },
      direction: { type: 'string' },
      counterpart: { type: 'string' },
      fileCount: { type: 'integer' },
      totalSize: { type: 'integer' },
      createdAt: dateTime,
      expiresAt: dateTime,
      opened: { type: 'integer' },
      downloaded: { type: 'integer' },
      recipients: { type: 'integer' },
    },
  },
} as const;

/** One transfer with the state of each recipient. */
export const transferWithRecipients = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    level: { type: 'integer' },
    status: { type: 'string' },
    subject: { type: ['string', 'null'] },
    message: { type: ['string', 'null'] },
    files: { type: 'array', items: fileSchema },
    expiresAt: dateTime,
    sentAt: nullableDateTime,
    recipients: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          email: { type: 'string' },
          notifiedAt: nullableDateTime,
          firstOpenedAt: nullableDateTime,
          firstDownloadedAt: nullableDateTime,
          downloads: {
            type: 'array',
            items: { type: 'object', properties: { fileId: { type: ['string', 'null'] }, at: dateTime } },
          },
        },
      },
    },
  },
} as const;

// The handlers answer dates as ISO strings, as the schemas declare them: what the serializer
// would write for a Date anyway, so the JSON is the same and the types say so.
const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** One postbox entry as the API answers it. */
export function outboxEntryJson(e: OutboxEntry) {
  return { ...e, subject: e.subject ?? null, createdAt: iso(e.createdAt), expiresAt: iso(e.expiresAt) };
}

/** One transfer with its recipients' state as the API answers it. */
export function transferJson(view: TransferView, recipients: RecipientStatus[]) {
  return {
    ...view,
    subject: view.subject ?? null,
    message: view.message ?? null,
    files: view.files.map((f) => ({ ...f })),
    expiresAt: iso(view.expiresAt),
    sentAt: isoOrNull(view.sentAt),
    recipients: recipients.map((r) => ({
      ...r,
      notifiedAt: isoOrNull(r.notifiedAt),
      firstOpenedAt: isoOrNull(r.firstOpenedAt),
      firstDownloadedAt: isoOrNull(r.firstDownloadedAt),
      downloads: r.downloads.map((d) => ({ fileId: d.fileId, at: iso(d.at) })),
    })),
  };
}

export { iso };
