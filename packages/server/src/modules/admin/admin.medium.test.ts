import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../../testing/index.ts';
import { TEST_PASSWORD, TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';
import { createApiToken } from '../auth/index.ts';

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, {
    slug: 'musterstadt',
    name: 'Musterstadt',
    hostnames: ['musterstadt.localhost'],
  });
  b = await seedTenant(t.deps, {
    slug: 'beispielkreis',
    name: 'Landkreis Beispiel',
    hostnames: ['beispielkreis.localhost'],
  });
  t.app.invalidateTenantCache();
});
after(() => t.close());

async function adminOf(host: string, email: string): Promise<TestClient> {
  const c = new TestClient(t.app, host);
  await c.get('/login');
  const r = await c.postForm('/login', { email, password: TEST_PASSWORD });
  assert.equal(r.statusCode, 303, `sign-in at ${host}`);
  await c.get('/admin');
  return c;
}

describe('departments', () => {
  it('a tenant admin creates a department and sees it listed', async () => {
    const c = await adminOf('musterstadt.localhost', a.admin.email);
    const r = await c.postForm('/admin/departments', {
      name: 'Bauamt',
      description: 'Bauanträge und Baugenehmigungen',
    });
    assert.equal(r.statusCode, 303);
    const page = await c.get('/admin?notice=department-created');
    assert.match(page.body, /Bauamt/);
    assert.match(page.body, /Die Abteilung wurde angelegt/);
    const audit = await t.deps.db.query(
      `SELECT 1 FROM audit_events WHERE tenant_id = $1 AND action = 'department.created'`,
      [a.tenant.id],
    );
    assert.equal(audit.length, 1);
  });

  it('refuses a duplicate name next to the field, and writes nothing', async () => {
    const c = await adminOf('musterstadt.localhost', a.admin.email);
    const r = await c.postForm('/admin/departments', { name: 'bauamt' });
    assert.equal(r.statusCode, 409);
    assert.match(r.body, /gibt es schon/);
    const rows = await t.deps.db.query(
      `SELECT 1 FROM departments WHERE tenant_id = $1 AND lower(name) = 'bauamt'`,
      [a.tenant.id],
    );
    assert.equal(rows.length, 1);
  });

  it('refuses an empty name with a field error', async () => {
    const c = await adminOf('musterstadt.localhost', a.admin.email);
    const r = await c.postForm('/admin/departments', { name: '   ' });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /aria-invalid="true"/);
  });
});

describe('staff invitations', () => {
  it('invites by mail; the invitee sets a password and is signed in', async () => {
    const c = await adminOf('musterstadt.localhost', a.admin.email);
    const r = await c.postForm('/admin/staff/invitations', {
      email: 'Sachbearbeiterin@Musterstadt.example',
      displayName: 'Erika Mustermann',
      departmentId: a.department.id,
    });
    assert.equal(r.statusCode, 303);
    const mail = (await outbox(t)).find((m) => m.to.includes('sachbearbeiterin@musterstadt.example'));
    assert.ok(mail !== undefined, 'invitation mail');
    assert.match(mail.subject, /Einladung/);
    assert.ok(mail.html !== undefined && mail.text.length > 0, 'multipart/alternative with a real text part');
    const link = mail.links.find((l) => l.includes('/invitations/'));
    assert.ok(link !== undefined);
    assert.equal(new URL(link).hostname, 'musterstadt.localhost', 'the link points at the tenant host');

    const invitee = new TestClient(t.app, 'musterstadt.localhost');
    const page = await invitee.get(new URL(link).pathname);
    assert.equal(page.statusCode, 200);
    const token = new URL(link).pathname.split('/').at(-1) ?? '';
    const weak = await invitee.postForm('/invitations/accept', {
      token,
      displayName: 'Erika',
      password: 'kurz',
      passwordConfirm: 'kurz',
    });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /mindestens 12 Zeichen/);
    const ok = await invitee.postForm('/invitations/accept', {
      token,
      displayName: 'Erika Mustermann',
      password: 'ein-langes-passwort-2026',
      passwordConfirm: 'ein-langes-passwort-2026',
    });
    assert.equal(ok.statusCode, 303);
    const home = await invitee.get('/home');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Bürgerservice/);
    assert.equal((await invitee.get(new URL(link).pathname)).statusCode, 404, 'an invitation works once');
    assert.equal(
      (await invitee.get('/admin')).statusCode,
      404,
      'staff who are not admins do not see the admin page',
    );
  });

  it('refuses a second account for the same address', async () => {
    const c = await adminOf('musterstadt.localhost', a.admin.email);
    const r = await c.postForm('/admin/staff/invitations', { email: a.admin.email });
    assert.equal(r.statusCode, 409);
    assert.match(r.body, /gibt es schon ein Konto/);
  });

  it('keeps the last admin', async () => {
    const c = await adminOf('musterstadt.localhost', a.admin.email);
    const r = await c.postForm(`/admin/staff/${a.admin.id}`, { action: 'revoke-admin' });
    assert.equal(r.statusCode, 409);
    const still = await t.deps.db.query<{ is_tenant_admin: boolean }>(
      `SELECT is_tenant_admin FROM staff WHERE id = $1`,
      [a.admin.id],
    );
    assert.equal(still[0]?.is_tenant_admin, true);
  });
});

describe('tenant isolation: an admin of A can neither see nor change anything of B', () => {
  it('B’s records answer 404 to A, in pages and API alike, and stay unchanged', async () => {
    const c = await adminOf('musterstadt.localhost', a.admin.email);
    const page = await c.get('/admin');
    assert.doesNotMatch(page.body, /Landkreis Beispiel|admin@beispielkreis\.example/);

    const rename = await c.postForm(`/admin/departments/${b.department.id}`, { name: 'Übernommen' });
    assert.equal(rename.statusCode, 404);
    const disable = await c.postForm(`/admin/staff/${b.admin.id}`, { action: 'disable' });
    assert.equal(disable.statusCode, 404);

    const { token } = await createApiToken(t.deps.db, t.deps, { tenantId: a.tenant.id, staffId: a.admin.id });
    const auth = { authorization: `Bearer ${token}` };
    const getDept = await t.app.inject({ url: `/api/v1/departments/${b.department.id}`, headers: auth });
    assert.equal(getDept.statusCode, 404);
    assert.equal(getDept.json<{ error: { code: string } }>().error.code, 'ERR_NOT_FOUND');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/departments/${b.department.id}`,
      headers: auth,
      payload: { name: 'Übernommen' },
    });
    assert.equal(patch.statusCode, 404);
    const getStaff = await t.app.inject({ url: `/api/v1/staff/${b.admin.id}`, headers: auth });
    assert.equal(getStaff.statusCode, 404);
    const list = await t.app.inject({ url: '/api/v1/staff', headers: auth });
    assert.ok(!list.body.includes('beispielkreis'));
    const depts = await t.app.inject({ url: '/api/v1/departments', headers: auth });
    assert.ok(!depts.body.includes(b.department.id));
    // The token belongs to A: sent to B's host it still only reaches A's data.
    const viaB = await t.app.inject({
      url: `/api/v1/departments/${b.department.id}`,
      headers: { ...auth, host: 'beispielkreis.localhost' },
    });
    assert.equal(viaB.statusCode, 404);

    const bDept = await t.deps.db.query<{ name: string }>(`SELECT name FROM departments WHERE id = $1`, [
      b.department.id,
    ]);
    assert.equal(bDept[0]?.name, 'Bürgerservice');
    const bAdmin = await t.deps.db.query<{ status: string }>(`SELECT status FROM staff WHERE id = $1`, [
      b.admin.id,
    ]);
    assert.equal(bAdmin[0]?.status, 'active');
  });

  it('A’s session cookie opens nothing at B’s host', async () => {
    const c = await adminOf('musterstadt.localhost', a.admin.email);
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await t.app.inject({ url: '/admin', headers: { host: 'beispielkreis.localhost', cookie } });
    assert.equal(res.statusCode, 303, 'treated as signed out');
    assert.match(String(res.headers.location), /^\/login/);
  });

  it('a staff member of A cannot sign in at B', async () => {
    const c = new TestClient(t.app, 'beispielkreis.localhost');
    await c.get('/login');
    const r = await c.postForm('/login', { email: a.admin.email, password: TEST_PASSWORD });
    assert.equal(r.statusCode, 401);
  });
});
