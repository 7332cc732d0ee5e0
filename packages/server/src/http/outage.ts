/**
 * Recognises an error that means "the database cannot be reached right now", from `pg` or from
 * PGlite, so the client hears 503 and Retry-After (try again) instead of 500 (a bug). The
 * adapters pass such errors on unchanged; this is the one place that knows their shapes.
 */

/** Socket errors of a connection to the database server (also inside AggregateError). */
const connectionErrnos = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going away or refusing sessions: 57P01 admin_shutdown, 57P02
 * crash_shutdown, 57P03 cannot_connect_now (starting up, recovering), 53300
 * too_many_connections. Class 08 (connection exceptions) is matched by its prefix.
 */
const unavailableSqlStates = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * What `pg`, `pg-pool` and PGlite throw as plain Errors without a code when the connection is
 * gone, the pool cannot hand one out in time, or the database was closed under the app.
 */
const unavailableMessages = [
  /^Connection terminated/, // pg: the server closed the socket (also "… due to connection timeout")
  /^timeout exceeded when trying to connect$/, // pg-pool: connectionTimeoutMillis
  /^Cannot use a pool after calling end on the pool$/, // pg-pool after close()
  /^Client has encountered a connection error and is not queryable$/, // pg
  /^Client was closed and is not queryable$/, // pg
  /^Query read timeout$/, // pg: query_timeout
  /^timeout expired$/, // pg: connectionTimeoutMillis on a single client
  /^PGlite is clos(ed|ing)$/, // PGlite after (or during) close()
];

function isUnavailableOne(err: object): boolean {
  const code = 'code' in err ? err.code : undefined;
  if (typeof code === 'string') {
    if (connectionErrnos.has(code) || unavailableSqlStates.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  const message = err instanceof Error ? err.message : undefined;
  return message !== undefined && unavailableMessages.some((m) => m.test(message));
}

/**
 * Whether `err`, or an error it wraps (`cause`, or the attempts of an AggregateError, which Node
 * throws when every address of a host name refused), says the database is unreachable.
 */
export function isDependencyUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  if (isUnavailableOne(err)) return true;
  if (err instanceof AggregateError && err.errors.some((e) => isDependencyUnavailable(e, depth + 1)))
    return true;
  return 'cause' in err && isDependencyUnavailable(err.cause, depth + 1);
}

/** Seconds a client should wait before trying again after a 503. */
export const RETRY_AFTER_SECONDS = 30;
