import type { Socket } from 'node:net';
import type { FastifyServerOptions } from 'fastify';
import type { ErrorCode } from '../errors.ts';
import { errorMessage, errorRegistry } from '../errors.ts';

/**
 * The longest request line (method, path with query, version) the portal reads. RFC 9110 asks
 * servers to take at least 8000 octets; anything longer is a mistake or an attack.
 */
export const MAX_REQUEST_LINE = 8192;

/** The router's answers (bad percent-encoding, a too long path parameter) mapped onto the registry. */
export function frameworkErrorCode(code: string | undefined): ErrorCode | undefined {
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return 'ERR_BAD_PATH_ENCODING';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'ERR_URI_TOO_LONG';
    default:
      return undefined;
  }
}

/**
 * Fastify's `frameworkErrors` option: the router refused the path before any route or hook ran.
 * The request here is a bare one (no decorators, no tenant, no language negotiated), so the
 * answer is always JSON, in English only when the client asks for English first.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (
  error,
  request,
  reply,
) => {
  const code = frameworkErrorCode(error.code) ?? 'ERR_INTERNAL';
  const acceptLanguage = request.headers['accept-language'] ?? '';
  const locale = acceptLanguage.trim().toLowerCase().startsWith('en') ? 'en' : 'de';
  // Written to the raw response, as Fastify's own answer is: the reply is generic over every
  // route's schemas here and no hook or serializer would run for it anyway.
  const text = JSON.stringify(body(code, locale, request.id));
  reply.raw.writeHead(errorRegistry[code].status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  reply.raw.end(text);
};

/** The registry's error body (as http/error-handler.ts answers), without importing it back. */
function body(code: ErrorCode, locale: 'de' | 'en', requestId?: string) {
  return {
    error: { code, message: errorMessage(code, locale), ...(requestId === undefined ? {} : { requestId }) },
  };
}

/** The status line and JSON body of an answer written straight to the socket. */
function rawAnswer(code: ErrorCode): string {
  const { status } = errorRegistry[code];
  const text = JSON.stringify(body(code, 'de'));
  const reason =
    status === 414 ? 'URI Too Long' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  return (
    `HTTP/1.1 ${status} ${reason}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(text)}\r\n` +
    'Connection: close\r\n\r\n' +
    text
  );
}

/**
 * Node's http server refuses a request whose line and headers exceed its header limit (16 KiB by
 * default) before Fastify sees it; its own answer is a bare 431. This handler (Fastify's
 * `clientErrorHandler`) answers in the registry's shape instead: 414 when the request line alone
 * is too long, 431 when the headers are; other malformed requests get 400. The request's language
 * is unknown here, so the message is German, the master language.
 */
export function clientErrorHandler(
  err: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  // A reset connection is gone: there is no one to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    if (socket.writable) socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    else socket.destroy(err);
    return;
  }
  let code: ErrorCode = 'ERR_VALIDATION';
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    // What the parser had read: if the request line does not end in it, the URL is to blame.
    const packet = Buffer.isBuffer(err.rawPacket) ? err.rawPacket : Buffer.alloc(0);
    const lineEnd = packet.indexOf('\r\n');
    const lineLength = lineEnd === -1 ? packet.length : lineEnd;
    code = lineLength > MAX_REQUEST_LINE ? 'ERR_URI_TOO_LONG' : 'ERR_HEADERS_TOO_LARGE';
  }
  if (socket.writable) socket.end(rawAnswer(code));
  else socket.destroy(err);
}
