import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../../testing/index.ts';
import { TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';
import { createApiToken } from '../auth/index.ts';

// The organisation's key on the transfer flow (issue 6 with issue 4): the key API's isolation,
// shares passed on to members confirmed later and removed on revocation, level-3 transfers to
// the organisation's postbox encrypted to its key (never to a personal key of the contact
// address), the member's envelope, and the compose page's organisation directory. The server
// only checks the framing of what browsers wrap, so well-framed random bytes stand in for them.

let t: TestApp;
let staffToken: string;
let otherStaffToken: string;
const host = 'musterstadt.localhost';
const otherHost = 'anderswo.localhost';
const CONTACT = 'postfach@bau.example';

before(async () => {
  t = await createTestApp();
  const a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  const b = await seedTenant(t.deps, { slug: 'anderswo', name: 'Anderswo', hostnames: [otherHost] });
  t.app.invalidateTenantCache();
  staffToken = (await createApiToken(t.deps.db, t.deps, { tenantId: a.tenant.id, staffId: a.admin.id }))
    .token;
  otherStaffToken = (await createApiToken(t.deps.db, t.deps, { tenantId: b.tenant.id, staffId: b.admin.id }))
    .token;
});
after(() => t.close());

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** A well-framed type-E envelope (87 bytes) with random content. */
const envelope = (): string => b64(Buffer.concat([Buffer.from('AMTBE\x01', 'latin1'), randomBytes(81)]));

/** A public key text and the K and R objects that carry it (docs/crypto.md framing). */
function personalKey(): {
  publicKey: string;
  wrappedWithPassphrase: string;
  wrappedWithRecoveryCode: string;
} {
  const point = Buffer.concat([Buffer.from([0x02]), randomBytes(32)]);
  const k = Buffer.concat([
    Buffer.from('AMTBK\x01', 'latin1'),
    randomBytes(25),
    point,
    randomBytes(112 - 31 - 33),
  ]);
  const r = Buffer.concat([
    Buffer.from('AMTBR\x01', 'latin1'),
    randomBytes(16),
    point,
    randomBytes(103 - 22 - 33),
  ]);
  return {
    publicKey: `amtb-pub1-${b64(point)}`,
    wrappedWithPassphrase: b64(k),
    wrappedWithRecoveryCode: b64(r),
  };
}

async function lastMailTo(address: string) {
  const last = (await outbox(t)).filter((m) => m.to.includes(address)).at(-1);
  assert.ok(last !== undefined, `a mail to ${address}`);
  return last;
}

async function register(email: string, h = host): Promise<TestClient> {
  const c = new TestClient(t.app, h);
  await c.get('/account/register');
  const asked = await c.postForm('/account/register', { email });
  const code = /\b(\d{6})\b/.exec((await lastMailTo(email)).text)?.[1] ?? '';
  const codeId = /name="codeId" value="([^"]+)"/.exec(asked.body)?.[1] ?? '';
  assert.equal((await c.postForm('/account/register/verify', { codeId, code, email })).statusCode, 303);
  await c.get('/account');
  return c;
}

async function withKey(c: TestClient): Promise<string> {
  const key = personalKey();
  assert.equal((await c.json('POST', '/api/v1/keys/me', key)).statusCode, 201);
  return key.publicKey;
}

async function createOrg(c: TestClient, name: string, contactEmail: string): Promise<string> {
  await c.get('/organisations/new');
  const res = await c.postForm('/organisations/new', { name, contactEmail, consent: 'on' });
  assert.equal(res.statusCode, 303, res.body);
  const id = /\/organisations\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  assert.ok(id !== undefined);
  return id;
}

async function join(admin: TestClient, orgId: string, member: TestClient, email: string): Promise<void> {
  await admin.get(`/organisations/${orgId}/members`);
  assert.equal((await admin.postForm(`/organisations/${orgId}/invitations`, { email })).statusCode, 303);
  const link = (await lastMailTo(email)).links.find((l) => l.includes('/organisations/invitations/'));
  const token = new URL(link ?? 'http://x/').pathname.split('/').at(-1) ?? '';
  await member.get(`/organisations/invitations/${token}`);
  await member.postForm('/organisations/invitations/accept', { token });
  const page = await admin.get(`/organisations/${orgId}/members`);
  const invitation = /\/invitations\/([0-9a-f-]{36})\/confirm/.exec(page.body)?.[1];
  assert.ok(invitation !== undefined);
  assert.equal(
    (await admin.postForm(`/organisations/${orgId}/invitations/${invitation}/confirm`, {})).statusCode,
    303,
  );
}

async function accountIdOf(c: TestClient): Promise<string> {
  return (await c.get('/api/v1/account')).json<{ id: string }>().id;
}

function staff(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, token = staffToken, h = host) {
  return t.app.inject({
    method,
    url,
    headers: {
      host: h,
      authorization: `Bearer ${token}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}

async function level3Draft(to: string): Promise<string> {
  const draft = await staff('POST', '/api/v1/transfers', {
    level: 3,
    recipients: [to],
    subject: 'Bescheid',
    message: 'Bitte prüfen.',
    files: [{ name: 'leer.amtb', size: 0 }],
  });
  assert.equal(draft.statusCode, 201, draft.body);
  return draft.json<{ id: string }>().id;
}

describe('the organisation key on the transfer flow', () => {
  let anna: TestClient;
  let ben: TestClient;
  let carl: TestClient;
  let eva: TestClient;
  let orgId = '';
  let benId = '';
  let benKey = '';
  const orgKey = personalKey().publicKey;
  const annaShare = envelope();
  const benShare = envelope();
  const fileKeyForOrg = envelope();
  let transferId = '';

  before(async () => {
    anna = await register('anna@bau.example');
    await withKey(anna);
    orgId = await createOrg(anna, 'Muster Bau GmbH', CONTACT);
    ben = await register('ben@bau.example');
    benKey = await withKey(ben);
    await join(anna, orgId, ben, 'ben@bau.example');
    benId = await accountIdOf(ben);
    eva = await register('eva@bau.example');
    await join(anna, orgId, eva, 'eva@bau.example');
    carl = await register('carl@example.org');
    // The caseworker's own key (by API token), for the sender's envelope.
    assert.equal((await staff('POST', '/api/v1/keys/me', personalKey())).statusCode, 201);
  });

  it('an administrator sets the key; members confirmed with a personal key are listed for a wrap', async () => {
    assert.equal(
      (
        await anna.json('PUT', `/api/v1/organisations/${orgId}/keys`, {
          publicKey: orgKey,
          wrappedPrivateKey: annaShare,
        })
      ).statusCode,
      204,
    );
    const state = (await anna.get(`/api/v1/organisations/${orgId}/keys`)).json<{
      publicKey: string;
      membersWithoutShare: string[];
      shareable: { accountId: string; publicKey: string }[];
    }>();
    assert.equal(state.publicKey, orgKey);
    assert.equal(state.membersWithoutShare.length, 2, 'Ben and Eva wait');
    assert.deepEqual(
      state.shareable,
      [{ accountId: benId, publicKey: benKey }],
      'only Ben has a key to wrap for',
    );
    const pending = (await anna.get('/api/v1/organisations/key-shares')).json<
      { organisationId: string; wrappedPrivateKey: string; members: { accountId: string }[] }[]
    >();
    assert.deepEqual(
      pending.map((p) => [p.organisationId, p.wrappedPrivateKey, p.members.map((m) => m.accountId)]),
      [[orgId, annaShare, [benId]]],
    );
    assert.deepEqual((await ben.get('/api/v1/organisations/key-shares')).json(), [], 'Ben holds nothing yet');
    assert.deepEqual((await staff('GET', '/api/v1/organisations/key-shares')).json(), [], 'staff: nothing');
    assert.equal((await anna.get(`/organisations/${orgId}/keys`)).statusCode, 200);
  });

  it('a member holding the key wraps it for the member confirmed later', async () => {
    assert.equal(
      (
        await anna.json('PUT', `/api/v1/organisations/${orgId}/keys/shares/${benId}`, {
          wrappedPrivateKey: benShare,
        })
      ).statusCode,
      204,
    );
    const mine = (await ben.get(`/api/v1/organisations/${orgId}/keys`)).json<{ wrappedPrivateKey: string }>();
    assert.equal(mine.wrappedPrivateKey, benShare);
    assert.deepEqual((await anna.get('/api/v1/organisations/key-shares')).json(), []);
  });

  it('non-members and other tenants get 404 for the key, its shares and the key page', async () => {
    const dora = await register('dora@example.org', otherHost);
    for (const c of [carl, dora]) {
      assert.equal((await c.get(`/api/v1/organisations/${orgId}/keys`)).statusCode, 404);
      assert.equal((await c.get(`/organisations/${orgId}/keys`)).statusCode, 404);
      assert.equal(
        (
          await c.json('PUT', `/api/v1/organisations/${orgId}/keys/shares/${benId}`, {
            wrappedPrivateKey: envelope(),
          })
        ).statusCode,
        404,
      );
    }
    assert.equal(
      (await ben.get(`/api/v1/organisations/${orgId}/keys`)).json<{ wrappedPrivateKey: string }>()
        .wrappedPrivateKey,
      benShare,
    );
  });

  it('the caseworker’s lookup gives the organisation’s key for its contact address, not a personal one', async () => {
    // Someone registered the contact address as a service account and made a personal key.
    const personal = await withKey(await register(CONTACT));
    const res = await staff('POST', '/api/v1/keys/lookup', { emails: [CONTACT] });
    assert.equal(res.statusCode, 200, res.body);
    const [entry] = res.json<{ recipients: { email: string; publicKey: string | null }[] }>().recipients;
    assert.ok(entry !== undefined);
    assert.equal(entry.publicKey, orgKey);
    assert.notEqual(entry.publicKey, personal);
  });

  it('a level-3 transfer to the postbox carries an envelope for the organisation’s key; a member gets it with the share', async () => {
    transferId = await level3Draft(CONTACT);
    const put = await staff('PUT', `/api/v1/transfers/${transferId}/envelopes`, {
      envelopes: [
        { holder: 'sender', envelope: envelope() },
        { holder: 'recipient', email: CONTACT, envelope: fileKeyForOrg },
      ],
    });
    assert.equal(put.statusCode, 204, put.body);
    const sent = await staff('POST', `/api/v1/transfers/${transferId}/send`);
    assert.equal(sent.statusCode, 200, sent.body);
    const rows = await t.deps.db.query<{ personal_key_id: string | null; organisation_id: string | null }>(
      `SELECT e.personal_key_id, r.organisation_id FROM transfer_envelopes e JOIN transfer_recipients r ON r.tenant_id = e.tenant_id AND r.id = e.recipient_id WHERE e.transfer_id = $1`,
      [transferId],
    );
    assert.deepEqual(rows, [{ personal_key_id: null, organisation_id: orgId }]);

    const state = (await ben.get(`/api/v1/organisations/${orgId}/postbox/${transferId}/envelope`)).json<{
      state: string;
      envelope: string;
      wrappedOrganisationKey: string;
      organisationPublicKey: string;
    }>();
    assert.deepEqual(state, {
      state: 'ready',
      envelope: fileKeyForOrg,
      wrappedOrganisationKey: benShare,
      organisationPublicKey: orgKey,
    });
    const page = await ben.get(`/organisations/${orgId}/postbox/${transferId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="e2e-open"/);
    assert.match(page.body, new RegExp(`/api/v1/organisations/${orgId}/postbox/${transferId}/envelope`));

    // Eva is a member without a personal key: she is asked to create one first.
    assert.equal(
      (await eva.get(`/api/v1/organisations/${orgId}/postbox/${transferId}/envelope`)).json<{
        state: string;
      }>().state,
      'no-key',
    );
    await withKey(eva);
    assert.equal(
      (await eva.get(`/api/v1/organisations/${orgId}/postbox/${transferId}/envelope`)).json<{
        state: string;
      }>().state,
      'no-share',
    );
    // The envelope for the organisation is never re-wrapped to the contact address's personal key.
    const rewraps = (await staff('GET', '/api/v1/keys/rewraps')).json<{ transferId: string }[]>();
    assert.equal(
      rewraps.some((r) => r.transferId === transferId),
      false,
    );
  });

  it('non-members and other tenants get 404 for the envelope', async () => {
    assert.equal(
      (await carl.get(`/api/v1/organisations/${orgId}/postbox/${transferId}/envelope`)).statusCode,
      404,
    );
    // Signed in at another authority (sessions belong to one tenant): the organisation is not there.
    const other = await register('erik@example.org', otherHost);
    assert.equal(
      (await other.get(`/api/v1/organisations/${orgId}/postbox/${transferId}/envelope`)).statusCode,
      404,
    );
  });

  it('a transfer to an organisation without a key waits, and its sender wraps it once the key exists', async () => {
    await createOrg(carl, 'Ohne Schlüssel e. V.', 'verein@ohne.example');
    const res = await staff('POST', '/api/v1/keys/lookup', { emails: ['verein@ohne.example'] });
    assert.equal(res.json<{ recipients: { publicKey: string | null }[] }>().recipients[0]?.publicKey, null);
    const id = await level3Draft('verein@ohne.example');
    const put = await staff('PUT', `/api/v1/transfers/${id}/envelopes`, {
      envelopes: [
        { holder: 'sender', envelope: envelope() },
        { holder: 'recipient', email: 'verein@ohne.example', envelope: envelope() },
      ],
    });
    assert.equal(put.statusCode, 400, put.body);

    // Sent without it, the message waits; once the organisation has a key, the sender's browser
    // wraps the file key for it (listed with the re-wraps) and the contact address is told.
    const ownOnly = await staff('PUT', `/api/v1/transfers/${id}/envelopes`, {
      envelopes: [{ holder: 'sender', envelope: envelope() }],
    });
    assert.equal(ownOnly.statusCode, 204, ownOnly.body);
    assert.equal((await staff('POST', `/api/v1/transfers/${id}/send`)).statusCode, 200);
    const vereinId = (await carl.get('/api/v1/organisations'))
      .json<{ id: string; name: string }[]>()
      .find((o) => o.name === 'Ohne Schlüssel e. V.')?.id;
    assert.ok(vereinId !== undefined);
    await withKey(carl);
    const waiting = `/api/v1/organisations/${vereinId}/postbox/${id}/envelope`;
    assert.equal(
      (await carl.get(waiting)).json<{ state: string }>().state,
      'no-share',
      'no organisation key yet',
    );
    const vereinKey = personalKey().publicKey;
    const carlShare = envelope();
    await carl.get(`/organisations/${vereinId}/keys`);
    assert.equal(
      (
        await carl.json('PUT', `/api/v1/organisations/${vereinId}/keys`, {
          publicKey: vereinKey,
          wrappedPrivateKey: carlShare,
        })
      ).statusCode,
      204,
    );
    assert.equal(
      (await carl.get(waiting)).json<{ state: string }>().state,
      'waiting',
      'for the sender’s side',
    );
    const items = (await staff('GET', '/api/v1/keys/rewraps')).json<
      { transferId: string; recipientId: string; publicKey: string; holder: string }[]
    >();
    const item = items.find((i) => i.transferId === id);
    assert.ok(item !== undefined);
    assert.equal(item.publicKey, vereinKey);
    assert.equal(item.holder, 'sender');
    const late = envelope();
    const stored = await staff('POST', '/api/v1/keys/rewraps', {
      transferId: id,
      recipientId: item.recipientId,
      envelope: late,
    });
    assert.equal(stored.statusCode, 204, stored.body);
    assert.ok((await lastMailTo('verein@ohne.example')).subject.length > 0);
    assert.deepEqual((await carl.get(waiting)).json(), {
      state: 'ready',
      envelope: late,
      organisationPublicKey: vereinKey,
      wrappedOrganisationKey: carlShare,
    });
    assert.equal(
      (await staff('GET', '/api/v1/keys/rewraps'))
        .json<{ transferId: string }[]>()
        .some((i) => i.transferId === id),
      false,
      'done once',
    );
  });

  it('revoking a member removes the wrap at once, and with it the envelope', async () => {
    await anna.get(`/organisations/${orgId}/members`);
    assert.equal(
      (await anna.postForm(`/organisations/${orgId}/members/${benId}/revoke`, {})).statusCode,
      303,
    );
    const rows = await t.deps.db.query(`SELECT 1 FROM organisation_key_shares WHERE account_id = $1`, [
      benId,
    ]);
    assert.equal(rows.length, 0);
    assert.equal(
      (await ben.get(`/api/v1/organisations/${orgId}/postbox/${transferId}/envelope`)).statusCode,
      404,
    );
    assert.equal((await ben.get(`/api/v1/organisations/${orgId}/keys`)).statusCode, 404);
  });

  it('a member who replaces the personal key waits for a new wrap; one for the old key is refused', async () => {
    const annaId = await accountIdOf(anna);
    const oldKey = (await anna.get('/api/v1/keys/me')).json<{ key: { publicKey: string } }>().key.publicKey;
    const renewed = personalKey();
    assert.equal((await anna.json('POST', '/api/v1/keys/me', { ...renewed, replace: true })).statusCode, 201);
    const state = (await anna.get(`/api/v1/organisations/${orgId}/keys`)).json<{
      wrappedPrivateKey: string | null;
      shareable: { accountId: string; publicKey: string }[];
    }>();
    assert.equal(state.wrappedPrivateKey, null, 'the old wrap opens with the old key only');
    assert.ok(state.shareable.some((m) => m.accountId === annaId && m.publicKey === renewed.publicKey));
    assert.deepEqual(
      (await anna.get('/api/v1/organisations/key-shares')).json(),
      [],
      'she cannot pass it on',
    );
    const share = `/api/v1/organisations/${orgId}/keys/shares/${annaId}`;
    assert.equal(
      (await anna.json('PUT', share, { wrappedPrivateKey: envelope(), publicKey: oldKey })).statusCode,
      400,
    );
    const fresh = envelope();
    assert.equal(
      (await anna.json('PUT', share, { wrappedPrivateKey: fresh, publicKey: renewed.publicKey })).statusCode,
      204,
    );
    assert.equal(
      (await anna.get(`/api/v1/organisations/${orgId}/keys`)).json<{ wrappedPrivateKey: string }>()
        .wrappedPrivateKey,
      fresh,
    );
  });

  it('the compose page’s directory: staff of the tenant only, by name, postbox addresses only', async () => {
    const found = (await staff('GET', '/api/v1/organisations/directory?q=muster')).json<
      { name: string; contactEmail: string }[]
    >();
    assert.deepEqual(
      found.map((o) => [o.name, o.contactEmail]),
      [['Muster Bau GmbH', CONTACT]],
    );
    assert.deepEqual(
      (
        await staff('GET', '/api/v1/organisations/directory?q=muster', undefined, otherStaffToken, otherHost)
      ).json(),
      [],
      'another tenant’s staff see none of them',
    );
    assert.equal((await anna.get('/api/v1/organisations/directory?q=muster')).statusCode, 401);
    // A contact address shared by two organisations is no postbox: not offered.
    await createOrg(carl, 'Zwilling A', 'zwilling@example.org');
    await createOrg(carl, 'Zwilling B', 'zwilling@example.org');
    assert.deepEqual((await staff('GET', '/api/v1/organisations/directory?q=zwilling')).json(), []);
    const page = await t.app.inject({
      method: 'GET',
      url: '/transfers/new',
      headers: { host, authorization: `Bearer ${staffToken}` },
    });
    assert.match(page.body, /<datalist id="compose-organisation-list" data-org-picker>/);
  });
});
