import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorPage, notFoundPage } from '@amtsbote/web';
import type { ErrorCode, FieldProblem } from '../errors.ts';
import { AppError, errorMessage, isErrorCode } from '../errors.ts';
import { pageContext } from './context.ts';
import { frameworkErrorCode, MAX_REQUEST_LINE } from './framework-errors.ts';
import { isDependencyUnavailable, RETRY_AFTER_SECONDS } from './outage.ts';

/** JSON for the API and for clients that ask for it; an HTML page for browsers. */
export function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    fields?: { field: string; code: ErrorCode; message: string }[];
    requestId?: string;
  };
}

export function errorBody(
  code: ErrorCode,
  locale: 'de' | 'en',
  fields: readonly FieldProblem[] = [],
  requestId?: string,
): ErrorBody {
  return {
    error: {
      code,
      message: errorMessage(code, locale),
      ...(fields.length > 0
        ? { fields: fields.map((f) => ({ ...f, message: errorMessage(f.code, locale) })) }
        : {}),
      ...(requestId === undefined ? {} : { requestId }),
    },
  };
}

/** Maps Fastify's and its plugins' own errors onto the registry. */
export function toAppError(err: FastifyError | Error): AppError {
  if (err instanceof AppError) return err;
  const code = (err as FastifyError).code;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('ERR_MALFORMED_JSON', { cause: err });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('ERR_BODY_TOO_LARGE', { cause: err });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('ERR_UNSUPPORTED_MEDIA_TYPE', { cause: err });
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return new AppError('ERR_CSRF', { cause: err });
    case 'FST_ERR_VALIDATION':
      return new AppError('ERR_VALIDATION', { fields: fieldsOf(err as FastifyError), cause: err });
    default:
      break;
  }
  const routerCode = frameworkErrorCode(code);
  if (routerCode !== undefined) return new AppError(routerCode, { cause: err });
  if (err instanceof SyntaxError && (err as FastifyError).statusCode === 400) {
    return new AppError('ERR_MALFORMED_JSON', { cause: err });
  }
  if (
    (err as NodeJS.ErrnoException).code === 'ERR_STORAGE_FULL' ||
    (err as NodeJS.ErrnoException).code === 'ENOSPC'
  ) {
    return new AppError('ERR_STORAGE_FULL', { cause: err });
  }
  if (isErrorCode(code)) return new AppError(code, { cause: err });
  // The database (or another dependency) is down: the request may well succeed in a moment.
  if (isDependencyUnavailable(err)) return new AppError('ERR_SERVICE_UNAVAILABLE', { cause: err });
  return new AppError('ERR_INTERNAL', { cause: err });
}

/** Field names from Ajv's validation errors, for marking form fields and API clients. */
export function fieldsOf(err: FastifyError): FieldProblem[] {
  return (err.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: unknown }).missingProperty;
    const field =
      typeof missing === 'string' ? missing : (v.instancePath.replace(/^\//, '').split('/')[0] ?? '');
    return { field: field === '' ? 'body' : field, code: 'ERR_VALIDATION' as const };
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    const appErr = toAppError(err);
    if (
      appErr.code === 'ERR_INTERNAL' ||
      appErr.code === 'ERR_STORAGE_FULL' ||
      appErr.code === 'ERR_MAIL_DELIVERY' ||
      appErr.code === 'ERR_SERVICE_UNAVAILABLE'
    ) {
      request.log.error({ err }, 'request failed');
    }
    return sendError(request, reply, appErr);
  });
  app.setNotFoundHandler(async (request, reply) => sendError(request, reply, new AppError('ERR_NOT_FOUND')));
  // A URL that got past Node's header limit but is longer than any address of ours; refused
  // before the tenant is looked up.
  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_REQUEST_LINE) throw new AppError('ERR_URI_TOO_LONG');
  });
}

/**
 * Retry-After for a rate limit whose refusal does not say: the longest wait for a next slot
 * among the limits that refuse openly (a mailed code per address, 5 an hour: one every 12
 * minutes; a password check waits at most 5).
 */
const RATE_LIMIT_RETRY_AFTER_SECONDS = 12 * 60;

export function sendError(request: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  const locale = request.locale;
  if (err.code === 'ERR_RATE_LIMITED')
    reply.header('retry-after', String(err.retryAfterSeconds ?? RATE_LIMIT_RETRY_AFTER_SECONDS));
  if (err.code === 'ERR_SERVICE_UNAVAILABLE') reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  // The request context may have failed before the tenant was known (no tenant configured):
  // then only the JSON form can be rendered safely, except the outage page, which names no
  // tenant and links only to the start page (a browser should not be shown raw JSON then).
  if (wantsJson(request) || (request.pageViewer() === undefined && err.code !== 'ERR_SERVICE_UNAVAILABLE')) {
    return reply
      .status(err.status)
      .type('application/json; charset=utf-8')
      .send(errorBody(err.code, locale, err.fields, request.id));
  }
  if (err.code === 'ERR_NOT_FOUND' || err.code === 'ERR_LINK_INVALID') {
    const page = notFoundPage(pageContext(request, reply));
    return reply.page({ ...page, status: err.status });
  }
  if (err.code === 'ERR_INTERNAL') {
    return reply.page({ ...errorPage(pageContext(request, reply), { requestId: request.id }), status: 500 });
  }
  // Other errors on HTML routes: the error page, with the registry's message for this code.
  const page = errorPage(pageContext(request, reply), {
    requestId: request.id,
    message: errorMessage(err.code, locale),
  });
  return reply.page({ ...page, status: err.status });
}
