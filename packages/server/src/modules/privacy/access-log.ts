import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { redactUrl } from '../../log.ts';

/** Access-log files, one per UTC hour: `2026-01-15T09.log`. */
export function accessLogDir(dataDir: string): string {
  return path.join(dataDir, 'access-log');
}

export function accessLogFileName(at: Date): string {
  return `${at.toISOString().slice(0, 13)}.log`;
}

/**
 * The operator's optional access log with full IP addresses (ACCESS_LOG=true), for abuse
 * defence only: one line per request in an hourly file, tokens cut out of paths, deleted after
 * ACCESS_LOG_RETENTION_DAYS (at most 7) by the retention job. Off by default: then nothing here
 * runs and IP addresses exist only cut to /24 or /48.
 */
export function registerAccessLog(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'config' | 'clock' | 'logger'>,
): void {
  if (!deps.config.accessLog.enabled) return;
  const dir = accessLogDir(deps.config.dataDir);
  let ready: Promise<unknown> | undefined;
  app.addHook('onResponse', async (request, reply) => {
    const at = deps.clock.now();
    const ua = (request.headers['user-agent'] ?? '').replace(/[\r\n\t"]/g, ' ').slice(0, 300);
    const line = `${at.toISOString()}\t${request.ip}\t${request.method}\t${redactUrl(request.url)}\t${reply.statusCode}\t"${ua}"\n`;
    try {
      ready ??= mkdir(dir, { recursive: true, mode: 0o700 });
      await ready;
      await appendFile(path.join(dir, accessLogFileName(at)), line, { mode: 0o600 });
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'could not write the access log');
    }
  });
}
