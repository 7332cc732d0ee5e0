import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DAY } from '../../adapters/clock.ts';
import type { TestApp } from '../../testing/index.ts';
import { TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';
import { hashToken } from '../../adapters/secrets.ts';
import { createApiToken } from '../auth/index.ts';
import { runYearlyMembershipReports } from './report.ts';

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let staffToken: string;
const host = 'musterstadt.localhost';
const PASSWORD = 'Sonnenblumen wachsen im Garten hinter dem Rathaus';

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  await seedTenant(t.deps, { slug: 'anderswo', name: 'Anderswo', hostnames: ['anderswo.localhost'] });
  t.app.invalidateTenantCache();
  staffToken = (await createApiToken(t.deps.db, t.deps, { tenantId: a.tenant.id, staffId: a.admin.id }))
    .token;
});
after(() => t.close());

async function lastMailTo(address: string) {
  const mails = (await outbox(t)).filter((m) => m.to.includes(address));
  const last = mails.at(-1);
  assert.ok(last !== undefined, `a mail to ${address}`);
  return last;
}

async function register(email: string, h = host): Promise<TestClient> {
  const c = new TestClient(t.app, h);
  await c.get('/account/register');
  const asked = await c.postForm('/account/register', { email, displayName: email.split('@')[0] ?? '' });
  const code = /\b(\d{6})\b/.exec((await lastMailTo(email)).text)?.[1] ?? '';
  const codeId = /name="codeId" value="([^"]+)"/.exec(asked.body)?.[1] ?? '';
  assert.equal((await c.postForm('/account/register/verify', { codeId, code, email })).statusCode, 303);
  await c.get('/account');
  assert.equal(
    (await c.postForm('/account/password', { password: PASSWORD, passwordConfirm: PASSWORD })).statusCode,
    303,
  );
  return c;
}

async function createOrg(c: TestClient, name: string, contactEmail: string): Promise<string> {
  await c.get('/organisations/new');
  const res = await c.postForm('/organisations/new', {
    name,
    legalForm: 'GmbH',
    seat: 'Musterstadt',
    address: 'Hauptstraße 1\n12345 Musterstadt',
    contactEmail,
    consent: 'on',
  });
  assert.equal(res.statusCode, 303, res.body);
  const id = /\/organisations\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  assert.ok(id !== undefined);
  return id;
}

async function invite(admin: TestClient, orgId: string, email: string): Promise<string> {
  await admin.get(`/organisations/${orgId}/members`);
  const res = await admin.postForm(`/organisations/${orgId}/invitations`, { email });
  assert.equal(res.statusCode, 303, res.body);
  const link = (await lastMailTo(email)).links.find((l) => l.includes('/organisations/invitations/'));
  assert.ok(link !== undefined);
  return new URL(link).pathname.split('/').at(-1) ?? '';
}

async function accept(c: TestClient, token: string) {
  await c.get(`/organisations/invitations/${token}`);
  return c.postForm('/organisations/invitations/accept', { token });
}

async function pendingInvitationId(admin: TestClient, orgId: string): Promise<string> {
  const page = await admin.get(`/organisations/${orgId}/members`);
  const id = /\/invitations\/([0-9a-f-]{36})\/confirm/.exec(page.body)?.[1];
  assert.ok(id !== undefined, 'an accepted invitation to confirm');
  return id;
}

async function accountIdOf(c: TestClient): Promise<string> {
  return (await c.get('/api/v1/account')).json<{ id: string }>().id;
}

async function staffSend(
  app: FastifyInstance,
  to: string,
  subject: string,
  level: 1 | 2 = 2,
): Promise<string> {
  const draft = await app.inject({
    method: 'POST',
    url: '/api/v1/transfers',
    headers: { host, authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify({
      level,
      recipients: [to],
      subject,
      message: 'Bitte prüfen Sie den Bescheid.',
      allowReply: true,
      files: [{ name: 'leer.txt', size: 0 }],
    }),
  });
  assert.equal(draft.statusCode, 201, draft.body);
  const id = draft.json<{ id: string }>().id;
  const sent = await app.inject({
    method: 'POST',
    url: `/api/v1/transfers/${id}/send`,
    headers: { host, authorization: `Bearer ${staffToken}` },
  });
  assert.equal(sent.statusCode, 200, sent.body);
  return id;
}

describe('organisation accounts', () => {
  let admin: TestClient;
  let member: TestClient;
  let outsider: TestClient;
  let orgId: string;

  before(async () => {
    admin = await register('chefin@firma.example');
    member = await register('mitarbeiter@firma.example');
    outsider = await register('fremd@example.org');
    orgId = await createOrg(admin, 'Muster GmbH', 'postfach@firma.example');
  });

  it('needs consent to be created; the creator is its administrator', async () => {
    await admin.get('/organisations/new');
    const refused = await admin.postForm('/organisations/new', {
      name: 'Ohne Einwilligung e. V.',
      contactEmail: 'x@firma.example',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Einwilligungserklärung/);
    const mine = (await admin.get('/api/v1/organisations')).json<
      { id: string; role: string; generalRelease: boolean }[]
    >();
    assert.deepEqual(
      mine.map((o) => [o.id, o.role, o.generalRelease]),
      [[orgId, 'admin', false]],
    );
  });

  it('invite, accept (same address only), and the admin confirms once more', async () => {
    const token = await invite(admin, orgId, 'mitarbeiter@firma.example');
    const wrong = await accept(outsider, token);
    assert.equal(wrong.statusCode, 403);
    assert.match(wrong.body, /andere E-Mail-Adresse|different e-mail address/);
    const ok = await accept(member, token);
    assert.equal(ok.statusCode, 200);
    // Accepted is not yet access.
    assert.equal((await member.get(`/organisations/${orgId}`)).statusCode, 404);
    assert.match((await lastMailTo('chefin@firma.example')).subject, /bestätigen|confirm/i);
    const invitationId = await pendingInvitationId(admin, orgId);
    // A member who is not an administrator cannot confirm (here: not even a member yet → 404).
    assert.equal(
      (await member.postForm(`/organisations/${orgId}/invitations/${invitationId}/confirm`, {})).statusCode,
      404,
    );
    const confirmed = await admin.postForm(`/organisations/${orgId}/invitations/${invitationId}/confirm`, {});
    assert.equal(confirmed.statusCode, 303);
    assert.equal((await member.get(`/organisations/${orgId}`)).statusCode, 200);
  });

  it('a confirmation by a non-admin member is refused with ERR_ORG_ADMIN_REQUIRED', async () => {
    const c3 = await register('dritte@firma.example');
    const token = await invite(admin, orgId, 'dritte@firma.example');
    await accept(c3, token);
    const invitationId = await pendingInvitationId(admin, orgId);
    await member.get(`/organisations/${orgId}`);
    const refused = await member.postForm(`/organisations/${orgId}/invitations/${invitationId}/confirm`, {});
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /nur Administratorinnen|Only the organisation’s administrators/);
    const api = await member.json('PUT', `/api/v1/organisations/${orgId}/release`, { generalRelease: true });
    assert.equal(api.json<{ error: { code: string } }>().error.code, 'ERR_ORG_ADMIN_REQUIRED');
    await admin.postForm(`/organisations/${orgId}/invitations/${invitationId}/close`, {});
  });

  it('an expired invitation is refused with its own code', async () => {
    const late = await register('spaet@firma.example');
    const token = await invite(admin, orgId, 'spaet@firma.example');
    // 14 days later (moved in the database: moving the clock would end every session here too).
    await t.deps.db.query(`UPDATE organisation_invitations SET expires_at = $2 WHERE token_hash = $1`, [
      hashToken(token),
      new Date(t.clock.now().getTime() - DAY),
    ]);
    const res = await late.postForm('/organisations/invitations/accept', { token });
    assert.equal(res.statusCode, 410);
    const page = await late.get(`/organisations/invitations/${token}`);
    assert.equal(page.statusCode, 410);
  });

  it('the last administrator cannot leave, be demoted or delete the account; a second admin makes it possible', async () => {
    const adminId = await accountIdOf(admin);
    await admin.get(`/organisations/${orgId}`);
    const leave = await admin.postForm(`/organisations/${orgId}/leave`, {});
    assert.equal(leave.statusCode, 409);
    assert.match(leave.body, /letzte Administratorin|last administrator/);
    await admin.get(`/organisations/${orgId}/members`);
    const demote = await admin.postForm(`/organisations/${orgId}/members/${adminId}/role`, {
      role: 'member',
    });
    assert.equal(demote.statusCode, 409);
    await admin.get('/account/delete');
    const del = await admin.postForm('/account/delete', { password: PASSWORD });
    assert.equal(del.statusCode, 409);
    const memberId = await accountIdOf(member);
    await admin.get(`/organisations/${orgId}/members`);
    assert.equal(
      (await admin.postForm(`/organisations/${orgId}/members/${memberId}/role`, { role: 'admin' }))
        .statusCode,
      303,
    );
    assert.equal((await member.get(`/organisations/${orgId}/members`)).statusCode, 200);
    // Back to one admin for the tests below.
    await member.get(`/organisations/${orgId}/members`);
    assert.equal(
      (await member.postForm(`/organisations/${orgId}/members/${memberId}/role`, { role: 'member' }))
        .statusCode,
      303,
    );
  });

  it('transfers to the contact address land in the postbox; members reply in the organisation’s name', async () => {
    const before = (await outbox(t)).length;
    const transferId = await staffSend(t.app, 'postfach@firma.example', 'Bescheid für die Muster GmbH');
    const mails = (await outbox(t)).slice(before).filter((m) => m.to.includes('postfach@firma.example'));
    assert.equal(mails.length, 1);
    assert.doesNotMatch(
      mails[0]?.text ?? '',
      /Bescheid für die Muster GmbH|\/t\//,
      'no content, no link secret',
    );
    const box = await member.get(`/organisations/${orgId}`);
    assert.match(box.body, /Bescheid für die Muster GmbH/);
    const view = await member.get(`/organisations/${orgId}/postbox/${transferId}`);
    assert.equal(view.statusCode, 200);
    assert.match(view.body, /Bitte prüfen Sie den Bescheid/);
    const draft = await member.json('POST', `/api/v1/organisations/${orgId}/postbox/${transferId}/replies`, {
      subject: 'Antwort der Muster GmbH',
      message: 'Danke.',
      files: [],
    });
    assert.equal(draft.statusCode, 201, draft.body);
    const replyId = draft.json<{ id: string }>().id;
    const sent = await member.json('POST', `/api/v1/organisations/${orgId}/replies/${replyId}/send`, {});
    assert.equal(sent.statusCode, 200, sent.body);
    const staffBox = await t.app.inject({
      method: 'GET',
      url: '/api/v1/transfers',
      headers: { host, authorization: `Bearer ${staffToken}` },
    });
    const reply = staffBox
      .json<{ id: string; direction: string; counterpart: string }[]>()
      .find((e) => e.id === replyId);
    assert.equal(reply?.direction, 'received');
    assert.equal(reply.counterpart, 'postfach@firma.example');
    assert.match((await admin.get(`/organisations/${orgId}`)).body, /Antwort der Muster GmbH/);
  });

  it('non-members get 404 for every organisation URL; a revoked member loses access at once', async () => {
    const transferId = await staffSend(t.app, 'postfach@firma.example', 'Zweiter Bescheid');
    const urls = [
      `/organisations/${orgId}`,
      `/organisations/${orgId}/members`,
      `/organisations/${orgId}/settings`,
      `/organisations/${orgId}/delete`,
      `/organisations/${orgId}/postbox/${transferId}`,
      `/organisations/${orgId}/postbox/${transferId}/zip`,
      `/api/v1/organisations/${orgId}`,
      `/api/v1/organisations/${orgId}/keys`,
    ];
    for (const url of urls) assert.equal((await outsider.get(url)).statusCode, 404, url);
    await outsider.get('/account');
    for (const url of [
      `/organisations/${orgId}/leave`,
      `/organisations/${orgId}/invitations`,
      `/organisations/${orgId}/release`,
      `/organisations/${orgId}/delete`,
    ]) {
      assert.equal(
        (await outsider.postForm(url, { email: 'x@example.org', release: 'general' })).statusCode,
        404,
        url,
      );
    }
    // Another tenant's host does not find it either.
    const elsewhere = await register('fremd@example.org', 'anderswo.localhost');
    assert.equal((await elsewhere.get(`/organisations/${orgId}`)).statusCode, 404);

    assert.equal((await member.get(`/organisations/${orgId}/postbox/${transferId}`)).statusCode, 200);
    const memberId = await accountIdOf(member);
    await admin.get(`/organisations/${orgId}/members`);
    assert.equal(
      (await admin.postForm(`/organisations/${orgId}/members/${memberId}/revoke`, {})).statusCode,
      303,
    );
    assert.equal(
      (await member.get(`/organisations/${orgId}/postbox/${transferId}`)).statusCode,
      404,
      'content that arrived while a member',
    );
    assert.equal((await member.get(`/organisations/${orgId}`)).statusCode, 404);
  });

  it('a member who leaves causes a notice in the postbox', async () => {
    const c = await register('geht@firma.example');
    const token = await invite(admin, orgId, 'geht@firma.example');
    await accept(c, token);
    await admin.postForm(
      `/organisations/${orgId}/invitations/${await pendingInvitationId(admin, orgId)}/confirm`,
      {},
    );
    await c.get(`/organisations/${orgId}`);
    assert.equal((await c.postForm(`/organisations/${orgId}/leave`, {})).statusCode, 303);
    const box = await admin.get(`/organisations/${orgId}`);
    assert.match(
      box.body,
      /geht@firma\.example\)? hat die Organisation verlassen|geht@firma\.example\)? has left/,
    );
  });

  it('stores and exposes the profile data release; prefill needs confirmation unless released', async () => {
    const perUse = await admin.json('POST', `/api/v1/organisations/${orgId}/profile-for-form`, {
      purpose: 'Gewerbeanmeldung',
    });
    assert.deepEqual(perUse.json(), { released: false, needsConfirmation: true });
    const confirmed = await admin.json('POST', `/api/v1/organisations/${orgId}/profile-for-form`, {
      purpose: 'Gewerbeanmeldung',
      confirmed: true,
    });
    assert.equal(confirmed.json<{ profile: { name: string } }>().profile.name, 'Muster GmbH');
    await admin.get(`/organisations/${orgId}/settings`);
    assert.equal(
      (await admin.postForm(`/organisations/${orgId}/release`, { release: 'general' })).statusCode,
      303,
    );
    assert.equal(
      (await admin.get(`/api/v1/organisations/${orgId}`)).json<{ generalRelease: boolean }>().generalRelease,
      true,
    );
    const general = await admin.json('POST', `/api/v1/organisations/${orgId}/profile-for-form`, {
      purpose: 'Gewerbeanmeldung',
    });
    assert.equal(general.json<{ released: boolean }>().released, true);
  });

  it('stores the organisation key and one wrap per member; revoking removes the wrap', async () => {
    const env = Buffer.concat([Buffer.from('AMTBE\x01', 'latin1'), Buffer.alloc(81, 1)]).toString(
      'base64url',
    );
    const publicKey = `amtb-pub1-${'A'.repeat(44)}`;
    assert.equal(
      (
        await admin.json('PUT', `/api/v1/organisations/${orgId}/keys`, {
          publicKey,
          wrappedPrivateKey: 'bm90LWFuLWVudmVsb3Bl',
        })
      ).statusCode,
      400,
    );
    assert.equal(
      (await admin.json('PUT', `/api/v1/organisations/${orgId}/keys`, { publicKey, wrappedPrivateKey: env }))
        .statusCode,
      204,
    );
    assert.equal(
      (await admin.json('PUT', `/api/v1/organisations/${orgId}/keys`, { publicKey, wrappedPrivateKey: env }))
        .statusCode,
      409,
    );
    const k = await register('schluessel@firma.example');
    await accept(k, await invite(admin, orgId, 'schluessel@firma.example'));
    await admin.postForm(
      `/organisations/${orgId}/invitations/${await pendingInvitationId(admin, orgId)}/confirm`,
      {},
    );
    const kId = await accountIdOf(k);
    const state = (await admin.get(`/api/v1/organisations/${orgId}/keys`)).json<{
      membersWithoutShare: string[];
      wrappedPrivateKey: string;
    }>();
    assert.deepEqual(state.membersWithoutShare, [kId]);
    assert.equal(state.wrappedPrivateKey, env);
    assert.equal(
      (
        await admin.json('PUT', `/api/v1/organisations/${orgId}/keys/shares/${kId}`, {
          wrappedPrivateKey: env,
        })
      ).statusCode,
      204,
    );
    assert.equal(
      (await k.get(`/api/v1/organisations/${orgId}/keys`)).json<{ wrappedPrivateKey: string | null }>()
        .wrappedPrivateKey,
      env,
    );
    await admin.get(`/organisations/${orgId}/members`);
    await admin.postForm(`/organisations/${orgId}/members/${kId}/revoke`, {});
    const rows = await t.deps.db.query(`SELECT 1 FROM organisation_key_shares WHERE account_id = $1`, [kId]);
    assert.equal(rows.length, 0);
  });

  it('logs every grant and revocation; the yearly overview goes to the admins’ postbox and the log is emptied', async () => {
    const log = await t.deps.db.query<{ action: string; account_email: string; by_email: string | null }>(
      `SELECT action, account_email, by_email FROM organisation_grant_log WHERE organisation_id = $1 ORDER BY id`,
      [orgId],
    );
    assert.ok(
      log.some(
        (l) =>
          l.action === 'granted' &&
          l.account_email === 'mitarbeiter@firma.example' &&
          l.by_email === 'chefin@firma.example',
      ),
    );
    assert.ok(log.some((l) => l.action === 'revoked' && l.account_email === 'mitarbeiter@firma.example'));
    assert.ok(log.some((l) => l.action === 'left' && l.account_email === 'geht@firma.example'));
    assert.ok(log.some((l) => l.action === 'admin-granted'));
    const nextYear = new Date(Date.UTC(t.clock.now().getUTCFullYear() + 1, 0, 2));
    assert.equal(await runYearlyMembershipReports(t.deps, nextYear), 1);
    assert.equal(await runYearlyMembershipReports(t.deps, nextYear), 0, 'idempotent');
    assert.equal(
      (await t.deps.db.query(`SELECT 1 FROM organisation_grant_log WHERE organisation_id = $1`, [orgId]))
        .length,
      0,
    );
    const box = await admin.get(`/organisations/${orgId}`);
    const noticeId = /\/notices\/([0-9a-f-]{36})"[^>]*>(?:Übersicht|Overview)/.exec(box.body)?.[1];
    assert.ok(noticeId !== undefined, 'the overview is in the admin’s postbox');
    const notice = await admin.get(`/organisations/${orgId}/notices/${noticeId}`);
    assert.match(notice.body, /mitarbeiter@firma\.example/);
  });

  it('deleting the organisation needs an administrator and the password', async () => {
    const doomed = await createOrg(admin, 'Kurzlebig UG', 'kurz@firma.example');
    const { MINUTE } = await import('../../adapters/clock.ts');
    t.clock.advance(11 * MINUTE);
    await admin.get(`/organisations/${doomed}/delete`);
    assert.equal((await admin.postForm(`/organisations/${doomed}/delete`, {})).statusCode, 403);
    assert.equal(
      (await admin.postForm(`/organisations/${doomed}/delete`, { password: 'falsches passwort' })).statusCode,
      403,
    );
    assert.equal(
      (await admin.postForm(`/organisations/${doomed}/delete`, { password: PASSWORD })).statusCode,
      303,
    );
    assert.equal((await admin.get(`/organisations/${doomed}`)).statusCode, 404);
    assert.equal((await t.deps.db.query(`SELECT 1 FROM organisations WHERE id = $1`, [doomed])).length, 0);
  });
});
