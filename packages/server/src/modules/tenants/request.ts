import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { isTenantFreePath } from '../../http/context.ts';
import type { Tenant } from './store.ts';
import { listTenants } from './store.ts';
import { publicHostName, requestHostName } from './urls.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authority this request is for, by host name (set for every path with a tenant). */
    tenant: Tenant;
  }
  interface FastifyInstance {
    /** Forgets the cached tenant list, after a change to tenants or their host names. */
    invalidateTenantCache(): void;
    /** Every tenant, from the cache (at most TENANT_CACHE_MS old). */
    tenants(): Promise<Tenant[]>;
  }
}

const TENANT_CACHE_MS = 30_000;

/**
 * Resolves the tenant of every request by its host name (see tenantForHost) before routing
 * decisions, so every handler finds `request.tenant` set. A malformed Host (userinfo, a port
 * other than PUBLIC_URL's) is refused with 400 before any tenant is looked at.
 */
export function registerTenantResolution(app: FastifyInstance, deps: Pick<AppDeps, 'db' | 'config'>): void {
  let cache: { at: number; tenants: Tenant[] } | undefined;
  app.decorate('tenants', async (): Promise<Tenant[]> => {
    const now = Date.now();
    if (cache === undefined || now - cache.at > TENANT_CACHE_MS)
      cache = { at: now, tenants: await listTenants(deps.db) };
    return cache.tenants;
  });
  app.decorate('invalidateTenantCache', () => {
    cache = undefined;
  });
  // Fastify's decorators want an initial value of the declared type's shape; no request sees it
  // (the hook below sets it, or refuses the request).
  app.decorateRequest('tenant', null as unknown as Tenant);

  app.addHook('onRequest', async (request) => {
    if (isTenantFreePath(request.url)) return;
    const host = requestHostName(request.host, deps.config);
    if (host === undefined) throw new AppError('ERR_BAD_HOST');
    request.tenant = tenantForHost(await app.tenants(), host, deps.config);
  });
}

/**
 * The tenant a host name belongs to: the one that claims it; else the operator's DEFAULT_TENANT
 * for any host; else, on PUBLIC_URL's host, the tenant that lives there (one without host names
 * of its own, or the first). Any other host is refused: answering it as some tenant would serve
 * that tenant under a name a stranger chose. (Mails never link to the request's host either way,
 * see tenantBaseUrl.)
 * @throws {AppError} ERR_UNKNOWN_HOST for a host no tenant claims; ERR_SERVICE_UNAVAILABLE when
 *   DEFAULT_TENANT names no tenant, or there is no tenant yet
 */
export function tenantForHost(
  all: readonly Tenant[],
  host: string,
  config: Pick<Config, 'publicUrl' | 'defaultTenant'>,
): Tenant {
  const claimed = all.find((t) => t.hostnames.includes(host));
  if (claimed !== undefined) return claimed;
  if (config.defaultTenant !== undefined) {
    const named = all.find((t) => t.slug === config.defaultTenant);
    if (named === undefined) throw new AppError('ERR_SERVICE_UNAVAILABLE');
    return named;
  }
  if (host !== publicHostName(config)) throw new AppError('ERR_UNKNOWN_HOST');
  const atPublicUrl = all.find((t) => t.hostnames.length === 0) ?? all[0];
  if (atPublicUrl === undefined) throw new AppError('ERR_SERVICE_UNAVAILABLE');
  return atPublicUrl;
}
