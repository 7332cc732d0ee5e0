import type { FromAppSchema } from '../../http/schemas.ts';
import { singleLineNonBlankPattern } from '../../http/schemas.ts';
import { declaredFiles } from '../transfers/index.ts';

/** An answer to an incoming transfer, as the answer page's script sends it. */
export const answerBody = {
  type: 'object',
  required: ['level', 'subject', 'files'],
  additionalProperties: false,
  // Level 4 (to a password drop-off's password): the text is the encrypted manifest,
  // base64url, with room for 20 000 characters and the file names.
  if: { properties: { level: { const: 4 } } },
  then: {
    properties: { message: { type: 'string', maxLength: 120000, pattern: '^[A-Za-z0-9_-]*$' } },
  },
  else: { properties: { message: { type: 'string', maxLength: 20000 } } },
  properties: {
    level: { type: 'integer', enum: [1, 2, 4] },
    subject: { type: 'string', minLength: 1, maxLength: 200, pattern: singleLineNonBlankPattern },
    message: { type: 'string', maxLength: 120000 },
    expiresInDays: { type: 'integer', minimum: 1, maximum: 365 },
    notifyOnDownload: { type: 'boolean' },
    allowReply: { type: 'boolean' },
    files: declaredFiles(10000),
  },
} as const;

export type AnswerBody = FromAppSchema<typeof answerBody>;

const memberPublicKey = { type: 'string', pattern: '^amtb-pub1-[A-Za-z0-9_-]{44}$' } as const;

/** A new department key: its public key and the private key wrapped per member. */
export const departmentKeyBody = {
  type: 'object',
  required: ['publicKey', 'shares'],
  additionalProperties: false,
  properties: {
    publicKey: { type: 'string', maxLength: 100 },
    shares: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['staffId', 'wrappedPrivateKey'],
        additionalProperties: false,
        properties: {
          staffId: { $ref: 'Uuid#' },
          wrappedPrivateKey: { type: 'string', maxLength: 200 },
          memberPublicKey,
        },
      },
    },
  },
} as const;

export type DepartmentKeyBody = FromAppSchema<typeof departmentKeyBody>;

/** One share of a department key, wrapped by a holder's browser for another member. */
export const keyShareBody = {
  type: 'object',
  required: ['keyId', 'staffId', 'publicKey', 'wrappedPrivateKey'],
  additionalProperties: false,
  properties: {
    keyId: { $ref: 'Uuid#' },
    staffId: { $ref: 'Uuid#' },
    publicKey: memberPublicKey,
    wrappedPrivateKey: { type: 'string', maxLength: 200 },
  },
} as const;

/** The postbox list's filters and its cursor. */
export const inboxQuery = {
  type: 'object',
  properties: {
    department: { type: 'string', maxLength: 36 },
    state: { type: 'string', maxLength: 10 },
    q: { type: 'string', maxLength: 200 },
    mine: { type: 'string', maxLength: 3 },
    after: { type: 'string', maxLength: 80 },
  },
} as const;

export type InboxQuery = FromAppSchema<typeof inboxQuery>;
