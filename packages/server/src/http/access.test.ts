import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import type { AccessDeclaration, AccessRules } from './access.ts';
import { registerAccessControl } from './access.ts';
import { registerRequestContext } from './context.ts';
import { registerErrorHandling } from './error-handler.ts';

// The access hook alone, on a bare Fastify app: the caller is named by a test header instead of
// a session or token, so each rule is a one-liner and nothing else of the portal is involved.
type Who = 'staff' | 'admin' | 'account' | 'token';

function who(request: FastifyRequest): Who | undefined {
  const value = request.headers['x-test-who'];
  return value === 'staff' || value === 'admin' || value === 'account' || value === 'token'
    ? value
    : undefined;
}

const isStaff = (request: FastifyRequest) => who(request) === 'staff' || who(request) === 'admin';
const isAccount = (request: FastifyRequest) => who(request) === 'account';
const isToken = (request: FastifyRequest) => who(request) === 'token';

const rules: AccessRules = {
  staff: { allows: isStaff, signedInAsKind: isStaff, loginPath: '/login' },
  tenantAdmin: { allows: (r) => who(r) === 'admin', signedInAsKind: isStaff, loginPath: '/login' },
  account: { allows: isAccount, signedInAsKind: isAccount, loginPath: '/account/login' },
  accountToken: { allows: isToken, signedInAsKind: isToken },
};

async function appWith(routes: Record<string, AccessDeclaration>): Promise<FastifyInstance> {
  const app = Fastify();
  // No tenant and no viewer: every refusal answers in JSON, which the tests read.
  registerRequestContext(app, () => undefined);
  registerErrorHandling(app);
  registerAccessControl(app, rules);
  for (const [path, access] of Object.entries(routes)) {
    app.get(path, { config: { access } }, async () => ({ ok: true }));
    app.post(path, { config: { access } }, async () => ({ ok: true }));
  }
  await app.ready();
  return app;
}

const routes = {
  '/open': 'public',
  '/staff-page': 'staff',
  '/admin-page': 'tenantAdmin',
  '/account-page': 'account',
  '/api/v1/staff-thing': 'staff',
  '/api/v1/for-token': 'accountToken',
  '/either': ['account', 'staff'],
} as const satisfies Record<string, AccessDeclaration>;

async function call(
  app: FastifyInstance,
  url: string,
  caller?: Who,
  method: 'GET' | 'POST' = 'GET',
): Promise<{ status: number; location: string | undefined; code: string | undefined }> {
  const res = await app.inject({
    method,
    url,
    headers: caller === undefined ? {} : { 'x-test-who': caller },
  });
  const location = res.headers.location;
  let code: string | undefined;
  if (res.statusCode >= 400) code = res.json<{ error: { code: string } }>().error.code;
  return { status: res.statusCode, location: typeof location === 'string' ? location : undefined, code };
}

describe('the access hook', () => {
  it('lets each kind of access in for its own caller', async () => {
    const app = await appWith(routes);
    assert.equal((await call(app, '/staff-page', 'staff')).status, 200);
    assert.equal((await call(app, '/staff-page', 'admin')).status, 200);
    assert.equal((await call(app, '/admin-page', 'admin')).status, 200);
    assert.equal((await call(app, '/account-page', 'account')).status, 200);
    assert.equal((await call(app, '/api/v1/staff-thing', 'staff')).status, 200);
    assert.equal((await call(app, '/api/v1/for-token', 'token')).status, 200);
    assert.equal((await call(app, '/staff-page', 'staff', 'POST')).status, 200);
    await app.close();
  });

  it('lets anyone call a public route', async () => {
    const app = await appWith(routes);
    for (const caller of [undefined, 'staff', 'admin', 'account', 'token'] as const) {
      assert.equal((await call(app, '/open', caller)).status, 200, `GET as ${caller ?? 'nobody'}`);
      assert.equal((await call(app, '/open', caller, 'POST')).status, 200, `POST as ${caller ?? 'nobody'}`);
    }
    await app.close();
  });

  it('answers a signed-in caller of the wrong rights as if the route were missing (404)', async () => {
    const app = await appWith(routes);
    const staffAtAdmin = await call(app, '/admin-page', 'staff');
    assert.equal(staffAtAdmin.status, 404);
    assert.equal(staffAtAdmin.code, 'ERR_NOT_FOUND');
    assert.equal((await call(app, '/admin-page', 'staff', 'POST')).status, 404);
    await app.close();
  });

  it('sends a browser that is not signed in to the sign-in page of the route’s kind (GET)', async () => {
    const app = await appWith(routes);
    const staff = await call(app, '/staff-page?x=1');
    assert.equal(staff.status, 303);
    assert.equal(staff.location, `/login?next=${encodeURIComponent('/staff-page?x=1')}`);
    const admin = await call(app, '/admin-page');
    assert.equal(admin.status, 303);
    assert.equal(admin.location, `/login?next=${encodeURIComponent('/admin-page')}`);
    const account = await call(app, '/account-page');
    assert.equal(account.status, 303);
    assert.equal(account.location, `/account/login?next=${encodeURIComponent('/account-page')}`);
    // Signed in as another kind of person is not signed in for this route: sign in, not 404.
    const citizenAtStaff = await call(app, '/staff-page', 'account');
    assert.equal(citizenAtStaff.status, 303);
    assert.match(citizenAtStaff.location ?? '', /^\/login\?next=/);
    await app.close();
  });

  it('answers 401 ERR_UNAUTHENTICATED to the API and to form posts', async () => {
    const app = await appWith(routes);
    for (const [url, method] of [
      ['/api/v1/staff-thing', 'GET'],
      ['/api/v1/staff-thing', 'POST'],
      ['/staff-page', 'POST'],
      ['/account-page', 'POST'],
      ['/api/v1/for-token', 'GET'],
    ] as const) {
      const res = await call(app, url, undefined, method);
      assert.equal(res.status, 401, `${method} ${url}`);
      assert.equal(res.code, 'ERR_UNAUTHENTICATED', `${method} ${url}`);
    }
    // An access without a sign-in page answers 401 to a page request too.
    assert.equal((await call(app, '/api/v1/for-token', 'staff')).status, 401);
    await app.close();
  });

  it('accepts any kind of a list', async () => {
    const app = await appWith(routes);
    assert.equal((await call(app, '/either', 'account')).status, 200);
    assert.equal((await call(app, '/either', 'staff')).status, 200);
    assert.equal((await call(app, '/either', 'admin')).status, 200);
    const nobody = await call(app, '/either');
    assert.equal(nobody.status, 303);
    assert.match(nobody.location ?? '', /^\/account\/login\?next=/, 'the first kind with a sign-in page');
    const token = await call(app, '/either', 'token', 'POST');
    assert.equal(token.status, 401);
    await app.close();
  });

  it('refuses to start with a route that declares no access', async () => {
    const app = Fastify();
    registerAccessControl(app, rules);
    assert.throws(
      () => app.get('/forgotten', async () => ({ ok: true })),
      /route GET \/forgotten declares no access/,
    );
    assert.throws(
      () => app.get('/empty', { config: { access: [] } }, async () => ({ ok: true })),
      /declares no access/,
    );
    // A route plugin (as buildApp registers them) fails the start-up itself.
    const withPlugin = Fastify();
    registerAccessControl(withPlugin, rules);
    void withPlugin.register(async (plugin) => {
      plugin.post('/in-plugin', async () => ({ ok: true }));
    });
    await assert.rejects(async () => {
      await withPlugin.ready();
    }, /route POST \/in-plugin declares no access/);
  });
});
