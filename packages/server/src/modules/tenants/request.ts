import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { isTenantFreePath } from '../../http/context.ts';
import type { Tenant } from './store.ts';
import { listTenants } from './store.ts';

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
 * Resolves the tenant of every request by its host name (or the configured default tenant)
 * before routing decisions, so every handler finds `request.tenant` set.
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
    const all = await app.tenants();
    const host = request.hostname.toLowerCase();
    const tenant =
      all.find((t) => t.hostnames.includes(host)) ??
      all.find((t) => t.slug === deps.config.defaultTenant) ??
      (deps.config.defaultTenant === undefined ? all[0] : undefined);
    if (tenant === undefined) throw new AppError('ERR_SERVICE_UNAVAILABLE');
    request.tenant = tenant;
  });
}
