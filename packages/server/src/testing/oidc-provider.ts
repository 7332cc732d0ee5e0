import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 and a random port, for tests of the
 * portal's sign-in through OpenID Connect. Its login and consent happen without a form: the
 * test says who signs in next (`nextLogin`), and the interaction finishes as that person, with
 * the trust level (acr) given. Everything else — discovery, PKCE, state, nonce, signed ID tokens,
 * the token endpoint — is the provider's own.
 */
export interface TestIdentity {
  sub: string;
  email?: string | undefined;
  emailVerified?: boolean | undefined;
  acr?: string | undefined;
  name?: string | undefined;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the next sign-in at the provider is. */
  nextLogin: TestIdentity;
  /** Set to an OAuth error code to make the next interaction end with that error instead. */
  nextError: string | undefined;
  close(): Promise<void>;
}

export async function startTestOidcProvider(input: {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
}): Promise<TestOidcProvider> {
  const clientId = input.clientId ?? 'amtsbote-test';
  const clientSecret = input.clientSecret ?? 'test-secret-4f3a9c7e2b1d8a6f0e5c9b3a7d1f2e8c';
  const identities = new Map<string, TestIdentity>();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const state: TestOidcProvider = {
    issuer,
    clientId,
    clientSecret,
    nextLogin: { sub: 'user-1' },
    nextError: undefined,
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: input.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: {
      acr: null,
      auth_time: null,
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    scopes: ['openid', 'email', 'profile'],
    acrValues: ['urn:amtsbote:test:substantial', 'urn:amtsbote:test:high', 'urn:amtsbote:test:low'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['test-cookie-key-1a2b3c4d5e6f7a8b9c0d'] },
    findAccount(_ctx, sub) {
      const who = identities.get(sub) ?? { sub };
      return {
        accountId: sub,
        claims: () => ({
          sub,
          ...(who.email === undefined ? {} : { email: who.email, email_verified: who.emailVerified ?? true }),
          ...(who.name === undefined ? {} : { name: who.name }),
        }),
      };
    },
  });
  // oidc-provider refuses plain http unless told it is behind a TLS proxy; here it is a test.
  provider.proxy = true;
  const callback = provider.callback();
  server.on('request', (req, res) => {
    void (async () => {
      const m = /^\/interaction\/([^/?]+)/.exec(req.url ?? '');
      if (m === null) {
        void callback(req, res);
        return;
      }
      try {
        const details = await provider.interactionDetails(req, res);
        if (state.nextError !== undefined) {
          const error = state.nextError;
          state.nextError = undefined;
          await provider.interactionFinished(
            req,
            res,
            { error, error_description: 'test' },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        if (details.prompt.name === 'login') {
          const who = state.nextLogin;
          identities.set(who.sub, who);
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: who.sub, ...(who.acr === undefined ? {} : { acr: who.acr }) } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        const grant = new provider.Grant({ accountId: details.session?.accountId ?? '', clientId });
        grant.addOIDCScope('openid email profile');
        const grantId = await grant.save();
        await provider.interactionFinished(
          req,
          res,
          { consent: { grantId } },
          { mergeWithLastSubmission: true },
        );
      } catch (err) {
        res.statusCode = 500;
        res.end(String(err));
      }
    })();
  });
  return state;
}

/**
 * Follows the provider's redirects from an authorization URL, as a browser would, until the
 * provider sends the browser back to the portal. Returns that callback URL.
 */
export async function followProviderRedirects(authorizationUrl: string, issuer: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < 20; hop++) {
    if (url.origin !== new URL(issuer).origin) return url;
    const res = await fetch(url, {
      redirect: 'manual',
      headers: jar.size === 0 ? {} : { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair !== undefined && eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (location === null)
      throw new Error(
        `provider answered ${res.status} without redirect at ${url.toString()}: ${(await res.text()).slice(0, 300)}`,
      );
    url = new URL(location, url);
  }
  throw new Error('too many redirects at the provider');
}
