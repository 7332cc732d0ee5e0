import type { DestinationStream, LoggerOptions } from 'pino';
import { pino } from 'pino';
import { ipPrefix } from './http/ip.ts';

/**
 * Path segments and query values that may be secrets (link tokens, codes) never reach a log
 * line: a segment that looks like a token becomes `:token`, every query value becomes `…`.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const pathPart = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  const safePath = pathPart
    .split('/')
    .map((seg) => (/^[A-Za-z0-9_-]{20,}$/.test(seg) && !/^[0-9a-f-]{36}$/.test(seg) ? ':token' : seg))
    .join('/');
  if (query === '') return safePath;
  const keys = query.split('&').map((kv) => `${kv.split('=')[0] ?? ''}=…`);
  return `${safePath}?${keys.join('&')}`;
}

interface RequestLike {
  method: string;
  url: string;
  ip?: string;
  id?: string;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    // Belt and braces: should a secret-bearing field ever be logged whole, it is censored.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
        '*.passwordConfirm',
        '*._csrf',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: RequestLike) => ({
        method: req.method,
        url: redactUrl(req.url),
        ip: ipPrefix(req.ip),
        id: req.id,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export function createLogger(level: string, destination?: DestinationStream) {
  return destination === undefined ? pino(loggerOptions(level)) : pino(loggerOptions(level), destination);
}
export type Logger = ReturnType<typeof createLogger>;
