import type { FromAppSchema } from '../../http/schemas.ts';
import { singleLineNonBlankPattern, singleLinePattern } from '../../http/schemas.ts';
import type { DraftInput } from './drafts.ts';

/** Files announced before their upload (name, size, type), at most `maxItems` of them. */
export function declaredFiles<const N extends number>(maxItems: N) {
  return {
    type: 'array',
    maxItems,
    items: {
      type: 'object',
      required: ['name', 'size'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 255, pattern: singleLinePattern },
        size: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        type: { type: 'string', maxLength: 255 },
      },
    },
  } as const;
}

/** The JSON shape of a new transfer; the compose page and the CLI send exactly this. */
export const draftBody = {
  type: 'object',
  required: ['level', 'recipients', 'subject', 'files'],
  additionalProperties: false,
  if: { properties: { level: { type: 'integer', maximum: 3 } } },
  then: { properties: { message: { type: 'string', maxLength: 20000 } } },
  properties: {
    // 3 and 4: end-to-end; the files (and at 4 the text, which then is ciphertext) come encrypted.
    level: { type: 'integer', enum: [1, 2, 3, 4] },
    recipients: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'string', format: 'email', maxLength: 254 },
    },
    subject: { type: 'string', minLength: 1, maxLength: 200, pattern: singleLineNonBlankPattern },
    // At level 4 the text is base64url ciphertext with the file names: room for 20 000 characters.
    message: { type: 'string', maxLength: 120000 },
    expiresInDays: { type: 'integer', minimum: 1, maximum: 365 },
    notifyOnDownload: { type: 'boolean' },
    allowReply: { type: 'boolean' },
    files: declaredFiles(10000),
  },
} as const;

export type DraftBody = FromAppSchema<typeof draftBody>;

/** A draft as the body declared it, with the defaults of what it left out. */
export function draftInputOf(body: DraftBody): DraftInput {
  return {
    level: body.level,
    recipients: body.recipients,
    subject: body.subject.trim(),
    message: body.message ?? '',
    expiresInDays: body.expiresInDays,
    notifyOnDownload: body.notifyOnDownload ?? true,
    allowReply: body.allowReply ?? false,
    files: body.files.map((f) => ({ name: f.name, size: f.size, type: f.type ?? '' })),
  };
}

/** A reply: the draft's JSON without recipients (it goes to the sender's postbox). */
export const replyBody = {
  ...draftBody,
  required: ['subject', 'files'],
  properties: {
    ...draftBody.properties,
    recipients: { type: 'array', maxItems: 0 },
    level: { type: 'integer', enum: [1, 2, 3, 4] },
  },
} as const;

export type ReplyBody = FromAppSchema<typeof replyBody>;

/** A base64url envelope (a file key wrapped for one holder), as the key API takes it. */
export const envelopeText = { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 400 } as const;

/** The envelopes of a level-3/4 reply: the file key sealed to each holder who may open it. */
export const replyEnvelopesBody = {
  type: 'object',
  required: ['envelopes'],
  additionalProperties: false,
  properties: {
    envelopes: {
      type: 'array',
      minItems: 2,
      maxItems: 20,
      items: {
        type: 'object',
        required: ['holder', 'envelope'],
        additionalProperties: false,
        properties: {
          holder: { type: 'string', enum: ['sender', 'addressee', 'department'] },
          departmentKeyId: { $ref: 'Uuid#' },
          envelope: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 400 },
        },
      },
    },
  },
} as const;
