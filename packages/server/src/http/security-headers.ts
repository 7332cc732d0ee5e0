import type { FastifyInstance } from 'fastify';

/** No inline script or style anywhere, no third-party origin: everything comes from 'self'. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/**
 * The policy for pages that run hash-wasm (Argon2id for password envelopes): WebAssembly may be
 * compiled, nothing else changes ('wasm-unsafe-eval', not 'unsafe-eval').
 */
export const wasmContentSecurityPolicy = contentSecurityPolicy.replace(
  "script-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
);

/**
 * The page's policy with form submissions allowed to lead on to these identity providers: a
 * sign-in form posts here and is redirected there, and CSP's form-action covers the redirects.
 */
export function cspAllowingForms(origins: readonly string[]): string {
  const extra = [...new Set(origins)].filter((o) => /^https?:\/\/[^\s;,']+$/.test(o));
  return extra.length === 0
    ? contentSecurityPolicy
    : contentSecurityPolicy.replace("form-action 'self'", `form-action 'self' ${extra.join(' ')}`);
}

export function registerSecurityHeaders(app: FastifyInstance, opts: { tls: boolean }): void {
  app.addHook('onSend', async (request, reply) => {
    // A page that derives keys from passwords (Argon2id in WebAssembly) sets its own, wider policy.
    if (!reply.hasHeader('content-security-policy'))
      reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    if (opts.tls || request.protocol === 'https') {
      reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
    }
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}
