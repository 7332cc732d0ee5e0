import type { FastifyRequest } from 'fastify';
import type { FieldError, Locale } from '@amtsbote/web';
import type { AppError } from '../errors.ts';
import { errorMessage } from '../errors.ts';
import { fieldsOf } from './error-handler.ts';

/** A message per field for one form, in both languages. */
export type FieldMessages = Record<string, { de: string; en: string }>;

/**
 * Turns the schema's verdict on a form into messages next to the fields: the schema stays the
 * one judge of what is valid, the form only says it in words.
 */
export function schemaFieldErrors(request: FastifyRequest, messages: FieldMessages): FieldError[] {
  const err = request.validationError;
  if (err === undefined) return [];
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const f of fieldsOf(err as Parameters<typeof fieldsOf>[0])) {
    if (seen.has(f.field)) continue;
    seen.add(f.field);
    const m = messages[f.field];
    out.push({
      field: f.field,
      message: m === undefined ? errorMessage('ERR_VALIDATION', request.locale) : m[request.locale],
    });
  }
  return out;
}

/** An AppError's field problems as form errors, in the request's language. */
export function appFieldErrors(err: AppError, locale: Locale, fallbackField: string): FieldError[] {
  if (err.fields.length === 0) return [{ field: fallbackField, message: errorMessage(err.code, locale) }];
  return err.fields.map((f) => ({ field: f.field, message: errorMessage(f.code, locale) }));
}

/** Form bodies arrive as strings; this reads one, trimmed, or '' when absent. */
export function formString(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v.trim() : '';
}

export const csrfField = { type: 'string', maxLength: 200 } as const;
export const emailField = { type: 'string', format: 'email', maxLength: 254 } as const;
