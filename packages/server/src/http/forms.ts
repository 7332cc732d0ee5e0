import type { FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import type { Locale } from '@amtsbote/contracts';
import type { AppError } from '../errors.ts';
import { errorMessage } from '../errors.ts';
import { fieldsOf } from './error-handler.ts';

/** A message per field in the request's language, as the catalogue has it for that form. */
export type LocaleFieldMessages = Readonly<Record<string, string>>;

/**
 * What a form gives for the schema's complaints: the catalogue's texts for the request's
 * language, or a way to pick them by language (for routes declared once for every request, such
 * as formRoute's).
 */
export type FieldMessages = LocaleFieldMessages | ((locale: Locale) => LocaleFieldMessages);

/**
 * Turns the schema's verdict on a form into messages next to the fields: the schema stays the
 * one judge of what is valid, the form only says it in words.
 */
export function schemaFieldErrors(request: FastifyRequest, messages: FieldMessages): FieldError[] {
  const err = request.validationError;
  if (err === undefined) return [];
  const table = typeof messages === 'function' ? messages(request.locale) : messages;
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const f of fieldsOf(err as Parameters<typeof fieldsOf>[0])) {
    if (seen.has(f.field)) continue;
    seen.add(f.field);
    out.push({ field: f.field, message: table[f.field] ?? errorMessage('ERR_VALIDATION', request.locale) });
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

/**
 * Whether a form's e-mail field holds something shaped like an address, at most 254 characters
 * (the use case normalises it; whether it is reachable only a mail can tell).
 */
export function looksLikeEmail(value: string): boolean {
  return value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}
