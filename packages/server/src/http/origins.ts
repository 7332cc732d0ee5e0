import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.ts';

/** This portal as the browser sees it: the scheme of PUBLIC_URL and the request's own host. */
export function requestOrigin(deps: Pick<AppDeps, 'config'>, request: FastifyRequest): string {
  const scheme = new URL(deps.config.publicUrl).protocol;
  return `${scheme}//${request.host}`;
}

/** The origin of a URL, or '' when it is none. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
