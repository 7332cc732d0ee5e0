import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

// The schema fragments that many routes share, registered once with addSchema and used by $ref.
// Registered schemas also become `components.schemas` of /api/openapi.json, so an API client
// sees one `Uuid` or `ErrorBody` instead of a copy inlined into every operation.

export const Uuid = { $id: 'Uuid', type: 'string', format: 'uuid' } as const satisfies JSONSchema;

/** `:id` path parameters: every record is addressed by a UUID. */
export const IdParams = {
  $id: 'IdParams',
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const satisfies JSONSchema;

/** `:token` path parameters: link tokens (their shape is checked where they are looked up). */
export const TokenParams = {
  $id: 'TokenParams',
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 200 } },
} as const satisfies JSONSchema;

/** The hidden CSRF field of every form (the token itself is checked by @fastify/csrf-protection). */
export const Csrf = { $id: 'Csrf', type: 'string', maxLength: 200 } as const satisfies JSONSchema;

/** An e-mail address as the API takes it (normalised and checked further by the use case). */
export const Email = {
  $id: 'Email',
  type: 'string',
  format: 'email',
  maxLength: 254,
} as const satisfies JSONSchema;

/** What every error answers: a stable code from the registry and a message in the caller's language. */
export const ErrorBody = {
  $id: 'ErrorBody',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', pattern: '^ERR_[A-Z0-9_]+$' },
        message: { type: 'string' },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'code', 'message'],
            properties: {
              field: { type: 'string' },
              code: { type: 'string' },
              message: { type: 'string' },
            },
          },
        },
        requestId: { type: 'string' },
      },
    },
  },
} as const satisfies JSONSchema;

/** Every shared fragment, in registration order. */
export const sharedSchemas = [Uuid, IdParams, TokenParams, Csrf, Email, ErrorBody] as const;

/** Lets route types resolve `$ref`s to the shared fragments. */
export type SharedSchemaReferences = typeof sharedSchemas;

interface SchemaOptions {
  references: [typeof Uuid, typeof IdParams, typeof TokenParams, typeof Csrf, typeof Email, typeof ErrorBody];
}

/**
 * The type provider of every route plugin: request types come from the route's JSON Schema, so
 * nothing casts `request.body` to a hand-written copy of it.
 */
export type AppTypeProvider = JsonSchemaToTsProvider<{
  ValidatorSchemaOptions: SchemaOptions;
  SerializerSchemaOptions: SchemaOptions;
}>;

/** The instance a route plugin receives: the app with the schema-to-type provider. */
export type RouteApp = ReturnType<typeof typed>;

function typed(app: FastifyInstance) {
  return app.withTypeProvider<AppTypeProvider>();
}

/** The app as route plugins use it: same instance, with request types inferred from schemas. */
export function routesOf(app: FastifyInstance): RouteApp {
  return typed(app);
}

/** The TypeScript type of data that passed a schema, with the shared `$ref`s resolved. */
export type FromAppSchema<S extends JSONSchema> = FromSchema<S, SchemaOptions>;

export function registerSharedSchemas(app: FastifyInstance): void {
  for (const schema of sharedSchemas) app.addSchema(schema);
}

/** A form body: the given fields plus the CSRF token every form carries. */
export function formBody<
  const P extends Record<string, JSONSchema>,
  const R extends readonly (keyof P & string)[] = [],
>(
  properties: P,
  required?: R,
): { type: 'object'; required: R; properties: P & { _csrf: { $ref: 'Csrf#' } } } {
  return {
    type: 'object',
    required: required ?? ([] as unknown as R),
    properties: { ...properties, _csrf: { $ref: 'Csrf#' } },
  };
}

/** A string field of at most `max` characters (form fields arrive as strings). */
export function str<const M extends number>(max: M): { type: 'string'; maxLength: M } {
  return { type: 'string', maxLength: max };
}

/**
 * Single-line text (subjects, titles, file names): no control characters but tab — a NUL or an
 * escape sequence in a subject or file name ends up in mails, logs, ZIP entries and terminals.
 */
export const singleLinePattern = '^[^\\u0000-\\u0008\\u000a-\\u001f\\u007f]*$';

/** Single-line text with at least one character that is not white space. */
export const singleLineNonBlankPattern = '^(?=.*\\S)[^\\u0000-\\u0008\\u000a-\\u001f\\u007f]*$';

/** Multi-line text (messages, notes): tab, line feed and carriage return, no other control characters. */
export const multiLinePattern = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$';

/** A single-line string field of at most `max` characters (form fields arrive as strings). */
export function line<const M extends number>(
  max: M,
): { type: 'string'; maxLength: M; pattern: typeof singleLinePattern } {
  return { type: 'string', maxLength: max, pattern: singleLinePattern };
}
