import * as client from 'openid-client';
import { HOUR, MINUTE } from '../../adapters/clock.ts';
import type { Cidr } from '../../adapters/outbound.ts';
import { OutboundPolicy, outboundFetch } from '../../adapters/outbound.ts';
import { hashToken } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { OidcPurpose } from './store/oidc-logins.ts';
import { insertOidcLogin, useOidcLogin } from './store/oidc-logins.ts';

/**
 * OpenID Connect sign-in (authorization code flow with PKCE and nonce, openid-client) for both
 * sides: citizens against the instance's provider (OIDC_ISSUER, e.g. a Keycloak broker in front
 * of BundID) and staff against their tenant's own provider (single sign-on). The request's state
 * is stored hashed with its verifier and bound to the browser's session; the callback uses it up,
 * so a replayed or foreign callback is refused.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'config'>;

export const OIDC_LOGIN_LIFETIME_MS = 10 * MINUTE;
export const CALLBACK_PATH = '/auth/oidc/callback';

export type { OidcPurpose } from './store/oidc-logins.ts';

export interface OidcProviderSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  scopes: string;
  acrValues?: string | undefined;
}

/** What the provider told us about the person, after every check passed. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  acr: string | undefined;
  name: string | undefined;
}

/** Plain http is allowed only for a provider on this machine (tests, a local Keycloak). */
export function isLoopbackHttp(issuer: string): boolean {
  try {
    const u = new URL(issuer);
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

// openid-client marks its switch for plain http as deprecated only to make it stand out: it is
// needed exactly for a provider on this machine (tests, a local Keycloak), and used only then.
const insecureForLoopback = (client as unknown as Record<string, (config: client.Configuration) => void>)
  .allowInsecureRequests as (config: client.Configuration) => void;

const discovered = new Map<string, { at: number; config: Promise<client.Configuration> }>();

/**
 * A refusal of the outbound guard stays what it is (openid-client wraps what its fetch throws);
 * anything else is the provider failing.
 */
function oidcFailure(err: unknown): AppError {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e instanceof Error; depth++, e = e.cause)
    if (e instanceof AppError && e.code === 'ERR_OUTBOUND_REFUSED') return e;
  return new AppError('ERR_OIDC_FAILED', { cause: err });
}

/**
 * The provider's metadata (discovery), cached for an hour per issuer, client and allowance.
 * Every request to the provider — discovery, keys, token, userinfo, wherever the discovery
 * document points — goes through the outbound guard.
 */
export async function providerConfig(
  p: OidcProviderSettings,
  outboundAllow: readonly Cidr[],
): Promise<client.Configuration> {
  const allowKey = new OutboundPolicy(outboundAllow).key;
  const key = `${p.issuer}\0${p.clientId}\0${p.clientSecret ?? ''}\0${allowKey}`;
  const hit = discovered.get(key);
  if (hit !== undefined && Date.now() - hit.at < HOUR) return hit.config;
  const insecure = isLoopbackHttp(p.issuer);
  const config = client
    .discovery(
      new URL(p.issuer),
      p.clientId,
      p.clientSecret ?? { token_endpoint_auth_method: 'none' },
      p.clientSecret === undefined ? client.None() : client.ClientSecretBasic(p.clientSecret),
      {
        ...(insecure ? { execute: [insecureForLoopback] } : {}),
        timeout: 10,
        [client.customFetch]: outboundFetch({
          allow: outboundAllow,
          timeoutMs: 10_000,
          maxBytes: 512 * 1024,
        }),
      },
    )
    .catch((err: unknown) => {
      discovered.delete(key);
      throw oidcFailure(err);
    });
  discovered.set(key, { at: Date.now(), config });
  return config;
}

/**
 * Starts a sign-in: stores state, verifier and nonce, and returns the provider's URL to send
 * the browser to.
 */
export async function startOidc(
  deps: Deps,
  input: {
    tenantId: string;
    purpose: OidcPurpose;
    provider: OidcProviderSettings;
    redirectUri: string;
    sessionHash: Buffer;
    accountId?: string | undefined;
    next?: string | undefined;
    /** 'login' forces the provider to ask again (re-authentication). */
    prompt?: 'login' | undefined;
    loginHint?: string | undefined;
  },
): Promise<URL> {
  const config = await providerConfig(input.provider, deps.config.outboundAllow);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = client.randomPKCECodeVerifier();
  const now = deps.clock.now();
  await insertOidcLogin(deps.db, {
    stateHash: hashToken(state),
    tenantId: input.tenantId,
    purpose: input.purpose,
    verifier,
    nonce,
    sessionHash: input.sessionHash,
    accountId: input.accountId ?? null,
    next: input.next ?? null,
    now,
    expiresAt: new Date(now.getTime() + OIDC_LOGIN_LIFETIME_MS),
  });
  const params: Record<string, string> = {
    redirect_uri: input.redirectUri,
    scope: input.provider.scopes,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  };
  if (input.provider.acrValues !== undefined) params.acr_values = input.provider.acrValues;
  if (input.prompt !== undefined) {
    params.prompt = input.prompt;
    params.max_age = '0';
  }
  if (input.loginHint !== undefined) params.login_hint = input.loginHint;
  return client.buildAuthorizationUrl(config, params);
}

export interface PendingOidc {
  purpose: OidcPurpose;
  accountId: string | null;
  next: string | null;
  verifier: string;
  nonce: string;
  state: string;
  /** The operator's allowance for outbound requests, for the requests that finish the sign-in. */
  outboundAllow: readonly Cidr[];
}

/**
 * Uses up the state of a callback. Unknown, expired, used (replayed) and foreign-session states
 * are refused alike.
 * @throws {AppError} ERR_OIDC_STATE
 */
export async function takeOidcState(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { tenantId: string; state: string | undefined; sessionHash: Buffer | undefined },
): Promise<PendingOidc> {
  if (
    input.state === undefined ||
    input.state === '' ||
    input.state.length > 200 ||
    input.sessionHash === undefined
  )
    throw new AppError('ERR_OIDC_STATE');
  const row = await useOidcLogin(deps.db, {
    stateHash: hashToken(input.state),
    tenantId: input.tenantId,
    sessionHash: input.sessionHash,
    now: deps.clock.now(),
  });
  if (row === undefined) throw new AppError('ERR_OIDC_STATE');
  return {
    purpose: row.purpose,
    accountId: row.account_id,
    next: row.next,
    verifier: row.code_verifier,
    nonce: row.nonce,
    state: input.state,
    outboundAllow: deps.config.outboundAllow,
  };
}

/**
 * Exchanges the code (with the PKCE verifier) and checks the ID token (issuer, audience,
 * signature, expiry, nonce).
 * @throws {AppError} ERR_OIDC_FAILED, ERR_OUTBOUND_REFUSED
 */
export async function finishOidc(
  provider: OidcProviderSettings,
  pending: PendingOidc,
  currentUrl: URL,
): Promise<OidcIdentity> {
  const config = await providerConfig(provider, pending.outboundAllow);
  let tokens;
  try {
    tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedNonce: pending.nonce,
      expectedState: pending.state,
      idTokenExpected: true,
    });
  } catch (err) {
    throw oidcFailure(err);
  }
  const claims = tokens.claims();
  if (claims === undefined) throw new AppError('ERR_OIDC_FAILED');
  // Providers that keep the ID token lean (only `sub`) give the address at the userinfo endpoint.
  let profile: Record<string, unknown> = claims;
  if (claims.email === undefined) {
    try {
      profile = { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
    } catch (err) {
      throw oidcFailure(err);
    }
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    issuer: claims.iss,
    subject: claims.sub,
    email: str(profile.email)?.toLowerCase(),
    emailVerified: profile.email_verified === true,
    acr: str(claims.acr),
    name: str(profile.name),
  };
}
