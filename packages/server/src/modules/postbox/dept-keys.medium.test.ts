import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createPersonalKey,
  decryptBytes,
  encryptBytes,
  exportPublicKey,
  fromBase64Url,
  generateFileKey,
  generateKeyPair,
  importPublicKey,
  toBase64Url,
  unwrapFileKey,
  wrapFileKey,
  type PersonalKey,
} from '@amtsbote/crypto';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, seedTenant, TEST_PASSWORD, TestClient } from '../../testing/index.ts';
import { accountForVerifiedEmail } from '../accounts/index.ts';
import { hashPassword } from '../auth/index.ts';
import { storePersonalKey } from '../keys/index.ts';
import { createStaff } from '../staff/index.ts';
import { createDepartment } from '../tenants/index.ts';
import { PDF, codeFor, fieldValue, staffClient, tus } from '../../testing/inbound.ts';

// Department key pairs as browsers make and pass them on (islands/dept-keys.ts, lib/group-key.ts):
// the private scalar travels only as a type-E envelope to a member's personal key. Here Node's
// WebCrypto plays the browsers; the server is the real one.

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
const host = 'musterstadt.localhost';
const hostB = 'andersdorf.localhost';
const ARGON = { memoryKiB: 19 * 1024, iterations: 2, parallelism: 1 };

let admin: TestClient;
let carla: TestClient;
let dora: TestClient;
let erik: TestClient;
let otherTenant: TestClient;
const staffIds: Record<string, string> = {};
const keys: Record<string, PersonalKey> = {};

async function scalarOf(pair: CryptoKeyPair): Promise<Uint8Array> {
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  return fromBase64Url(jwk.d ?? '');
}

function pairOf(name: string): CryptoKeyPair {
  const k = keys[name];
  assert.ok(k !== undefined, `${name} has a personal key`);
  return k.keyPair;
}

async function personalKey(c: TestClient, name: string): Promise<void> {
  const k = await createPersonalKey(`${name} passphrase 2026`, ARGON);
  const res = await c.json('POST', '/api/v1/keys/me', {
    publicKey: k.publicKey,
    wrappedWithPassphrase: toBase64Url(k.wrappedWithPassphrase),
    wrappedWithRecoveryCode: toBase64Url(k.wrappedWithRecoveryCode),
  });
  assert.equal(res.statusCode, 201, res.body);
  keys[name] = k;
}

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  b = await seedTenant(t.deps, { slug: 'andersdorf', name: 'Andersdorf', hostnames: [hostB] });
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const other = await createDepartment(t.deps.db, t.deps, a.tenant.id, { name: 'Bauamt' });
  for (const [name, dept] of [
    ['carla', a.department.id],
    ['dora', a.department.id],
    ['erik', other.id],
  ] as const) {
    const s = await createStaff(t.deps.db, t.deps, a.tenant.id, {
      email: `${name}@musterstadt.example`,
      displayName: name,
      status: 'active',
      departmentIds: [dept],
      passwordHash,
    });
    staffIds[name] = s.id;
  }
  staffIds.admin = a.admin.id;
  t.app.invalidateTenantCache();
  admin = await staffClient(t.app, host, a.admin.email);
  carla = await staffClient(t.app, host, 'carla@musterstadt.example');
  dora = await staffClient(t.app, host, 'dora@musterstadt.example');
  erik = await staffClient(t.app, host, 'erik@musterstadt.example');
  otherTenant = await staffClient(t.app, hostB, b.admin.email);
  for (const c of [admin, carla, dora, erik, otherTenant]) await c.get('/inbox');
});
after(() => t.close());

const keyUrl = (): string => `/api/v1/departments/${a.department.id}/key`;
let departmentPublicKey = '';
let departmentScalar: Uint8Array = new Uint8Array();

describe('department keys', () => {
  it('a member’s browser makes the pair and wraps it for every member with a personal key', async () => {
    await personalKey(admin, 'admin');
    await personalKey(carla, 'carla');
    const listed = await admin.get(`${keyUrl()}/members`);
    assert.equal(listed.statusCode, 200, listed.body);
    const members = listed.json<{ members: { staffId: string; publicKey: string | null }[] }>().members;
    assert.deepEqual(
      members.map((m) => [m.staffId, m.publicKey]).sort(),
      [
        [staffIds.admin, keys.admin?.publicKey],
        [staffIds.carla, keys.carla?.publicKey],
        [staffIds.dora, null],
      ].sort(),
      'members of this department only, with their personal public keys',
    );

    const pair = await generateKeyPair({ extractable: true });
    departmentPublicKey = await exportPublicKey(pair.publicKey);
    departmentScalar = await scalarOf(pair);
    const shareFor = async (name: string) => ({
      staffId: staffIds[name] ?? '',
      memberPublicKey: keys[name]?.publicKey ?? '',
      wrappedPrivateKey: toBase64Url(
        await wrapFileKey(departmentScalar, await importPublicKey(keys[name]?.publicKey ?? '')),
      ),
    });

    // A share for someone outside the department, or something that is not an envelope, is refused.
    const outsider = await admin.json('PUT', keyUrl(), {
      publicKey: departmentPublicKey,
      shares: [{ ...(await shareFor('carla')), staffId: staffIds.erik }],
    });
    assert.equal(outsider.statusCode, 400, outsider.body);
    const garbage = await admin.json('PUT', keyUrl(), {
      publicKey: departmentPublicKey,
      shares: [{ staffId: staffIds.carla, wrappedPrivateKey: toBase64Url(new Uint8Array(87)) }],
    });
    assert.equal(garbage.statusCode, 400, garbage.body);
    assert.match(garbage.body, /ERR_KEY_FORMAT/);
    const stale = await admin.json('PUT', keyUrl(), {
      publicKey: departmentPublicKey,
      shares: [{ ...(await shareFor('carla')), memberPublicKey: keys.admin?.publicKey }],
    });
    assert.equal(stale.statusCode, 400, 'a share made for another personal key is refused');

    const put = await admin.json('PUT', keyUrl(), {
      publicKey: departmentPublicKey,
      shares: [await shareFor('admin'), await shareFor('carla')],
    });
    assert.equal(put.statusCode, 200, put.body);

    const mine = (await carla.get(keyUrl())).json<{ publicKey: string; wrappedPrivateKey: string | null }>();
    assert.equal(mine.publicKey, departmentPublicKey);
    const opened = await unwrapFileKey(fromBase64Url(mine.wrappedPrivateKey ?? ''), pairOf('carla'));
    assert.deepEqual(opened, departmentScalar, 'carla’s personal key opens her share');
    assert.equal(
      (await dora.get(keyUrl())).json<{ wrappedPrivateKey: string | null }>().wrappedPrivateKey,
      null,
      'no share for a member without a personal key',
    );

    const page = await admin.get(`/inbox/departments/${a.department.id}/key`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Schlüssel der Abteilung Bürgerservice/);
    assert.ok(page.body.includes(departmentPublicKey));
    assert.match(page.body, /wartet auf ein Mitglied/);
  });

  it('another department’s or tenant’s staff see nothing (404), and cannot set a key', async () => {
    for (const [c, url] of [
      [erik, keyUrl()],
      [erik, `${keyUrl()}/members`],
      [erik, `/inbox/departments/${a.department.id}/key`],
      [otherTenant, keyUrl()],
      [otherTenant, `${keyUrl()}/members`],
      [otherTenant, `/inbox/departments/${a.department.id}/key`],
    ] as const) {
      assert.equal((await c.get(url)).statusCode, 404, url);
    }
    const pair = await generateKeyPair();
    const put = await erik.json('PUT', keyUrl(), {
      publicKey: await exportPublicKey(pair.publicKey),
      shares: [],
    });
    assert.equal(put.statusCode, 404);
    const otherPut = await otherTenant.json('PUT', keyUrl(), {
      publicKey: await exportPublicKey(pair.publicKey),
      shares: [],
    });
    assert.equal(otherPut.statusCode, 404);
    assert.equal((await carla.get(keyUrl())).json<{ publicKey: string }>().publicKey, departmentPublicKey);
  });

  it('a member who creates a personal key later gets a share from a member’s browser; only members do', async () => {
    await personalKey(dora, 'dora');
    await personalKey(erik, 'erik');
    assert.deepEqual((await erik.get('/api/v1/department-keys/pending')).json(), [], 'erik holds no share');
    const pending = (await carla.get('/api/v1/department-keys/pending')).json<
      {
        keyId: string;
        staffId: string;
        publicKey: string;
        wrappedPrivateKey: string;
        departmentPublicKey: string;
      }[]
    >();
    assert.deepEqual(
      pending.map((p) => p.staffId),
      [staffIds.dora],
      'dora (a member with a key and no share) only',
    );
    const item = pending[0];
    assert.ok(item !== undefined);
    assert.equal(item.departmentPublicKey, departmentPublicKey);
    // carla's browser: open her share, wrap the scalar for dora.
    const scalar = await unwrapFileKey(fromBase64Url(item.wrappedPrivateKey), pairOf('carla'));
    const share = toBase64Url(await wrapFileKey(scalar, await importPublicKey(item.publicKey)));
    const body = {
      keyId: item.keyId,
      staffId: item.staffId,
      publicKey: item.publicKey,
      wrappedPrivateKey: share,
    };

    const forged = await erik.json('POST', '/api/v1/department-keys/shares', body);
    assert.equal(forged.statusCode, 404, 'a non-member cannot plant a share');
    const forErik = await carla.json('POST', '/api/v1/department-keys/shares', {
      ...body,
      staffId: staffIds.erik,
    });
    assert.equal(forErik.statusCode, 404, 'no share for someone outside the department');

    const res = await carla.json('POST', '/api/v1/department-keys/shares', body);
    assert.equal(res.statusCode, 204, res.body);
    assert.equal(
      (await carla.json('POST', '/api/v1/department-keys/shares', body)).statusCode,
      204,
      'idempotent',
    );
    const doras = (await dora.get(keyUrl())).json<{ wrappedPrivateKey: string | null }>();
    assert.deepEqual(
      await unwrapFileKey(fromBase64Url(doras.wrappedPrivateKey ?? ''), pairOf('dora')),
      departmentScalar,
    );
    assert.deepEqual((await carla.get('/api/v1/department-keys/pending')).json(), []);
  });

  it('a level-3 upload opens for a member through their share; not for other staff; removing a member removes the share', async () => {
    // An upload link at level 3 and what the uploader's browser does (inbound-compose island).
    await admin.get('/upload-links/new');
    const created = await admin.postForm('/upload-links', {
      departmentId: a.department.id,
      types: 'pdf',
      maxSizeMb: '10',
      validDays: '7',
      title: 'Gutachten',
      email: 'bob@example.org',
      level: '3',
    });
    assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    const linkId = /\/upload-links\/([0-9a-f-]{36})/.exec(String(created.headers.location))?.[1] ?? '';
    const detail = await admin.get(`/upload-links/${linkId}`);
    const path = new URL(/id="link-url-field"[^>]*value="([^"]+)"/.exec(detail.body)?.[1] ?? 'http://x/')
      .pathname;
    const c = new TestClient(t.app, host);
    const start = await c.get(path);
    t.clock.advance(5_000);
    const started = await c.postForm(`${path}/start`, {
      started: fieldValue(start.body, 'started'),
      website: '',
      firstName: 'Bob',
      lastName: 'Beispiel',
      phone: '',
    });
    const session = /\/inbound\/([0-9a-f-]{36})/.exec(String(started.headers.location))?.[1] ?? '';
    await c.get(`/inbound/${session}/code`);
    await c.postForm(`/inbound/${session}/verify`, { code: await codeFor(t, 'bob@example.org') });
    await c.get(`/inbound/${session}`);
    const plain = PDF('Gutachten streng vertraulich');
    const fileKey = generateFileKey();
    const cipher = await encryptBytes(fileKey, plain);
    const d = await c.json('POST', `/api/v1/inbound/${session}/drafts`, {
      subject: 'Gutachten',
      files: [{ name: 'gutachten.pdf', size: cipher.length }],
    });
    assert.equal(d.statusCode, 201, d.body);
    const draft = d.json<{ id: string; files: { id: string }[] }>();
    assert.equal((await tus(t.app, c, host, draft.files[0]?.id ?? '', Buffer.from(cipher))).statusCode, 204);
    const s = await c.json('POST', `/api/v1/inbound/${session}/submit`, {
      draftId: draft.id,
      envelope: toBase64Url(await wrapFileKey(fileKey, await importPublicKey(departmentPublicKey))),
    });
    assert.equal(s.statusCode, 200, s.body);

    const url = `/api/v1/inbox/${draft.id}/envelope`;
    const got = (await dora.get(url)).json<{
      state: string;
      envelope: string;
      departmentPublicKey: string;
      wrappedDepartmentKey: string;
    }>();
    assert.equal(got.state, 'ready');
    assert.equal(got.departmentPublicKey, departmentPublicKey);
    // dora's browser: share → department scalar → envelope → file key → plaintext.
    const scalar = await unwrapFileKey(fromBase64Url(got.wrappedDepartmentKey), pairOf('dora'));
    const { x, y } = await crypto.subtle.exportKey('jwk', await importPublicKey(departmentPublicKey));
    const priv = await crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x, y, d: toBase64Url(scalar) },
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      ['deriveBits'],
    );
    const departmentPair = { privateKey: priv, publicKey: await importPublicKey(departmentPublicKey) };
    const opened = await unwrapFileKey(fromBase64Url(got.envelope), departmentPair);
    const stored = await dora.get(`/inbox/${draft.id}/files/${draft.files[0]?.id ?? ''}`);
    assert.ok(Buffer.from(await decryptBytes(opened, stored.rawPayload)).equals(plain));
    const page = await dora.get(`/inbox/${draft.id}`);
    assert.match(page.body, /id="e2e-open"/);
    assert.match(page.body, new RegExp(`data-envelope-url="${url}"`));

    assert.equal((await erik.get(url)).statusCode, 404, 'staff of another department');
    assert.equal((await otherTenant.get(url)).statusCode, 404, 'staff of another tenant');

    // Removing dora from the department takes her share with it (the trigger, whatever removes her).
    await t.deps.db.query(
      `DELETE FROM department_members WHERE tenant_id = $1 AND department_id = $2 AND staff_id = $3`,
      [a.tenant.id, a.department.id, staffIds.dora],
    );
    const left = await t.deps.db.query(`SELECT 1 FROM department_key_shares WHERE staff_id = $1`, [
      staffIds.dora,
    ]);
    assert.equal(left.length, 0);
    assert.equal((await dora.get(url)).statusCode, 404);
    assert.equal(
      (await carla.get(url)).json<{ state: string }>().state,
      'ready',
      'the other members keep theirs',
    );
  });
  it('shared department outboxes: another member re-wraps a level-3 file key for a recipient who got a key later', async () => {
    await t.deps.db.query(
      `UPDATE tenants SET settings = settings || '{"sharedDepartmentOutboxes": true}' WHERE id = $1`,
      [a.tenant.id],
    );
    t.app.invalidateTenantCache();
    const recipient = 'spaet@example.org';
    const lookup = (await carla.json('POST', '/api/v1/keys/lookup', { emails: [recipient] })).json<{
      recipients: { publicKey: string | null }[];
      departments: { keyId: string; publicKey: string }[];
    }>();
    assert.equal(lookup.recipients[0]?.publicKey, null, 'the recipient has no key yet');
    assert.deepEqual(
      lookup.departments.map((d) => d.publicKey),
      [departmentPublicKey],
      'the sender’s department key, to wrap for',
    );
    const d = await carla.json('POST', '/api/v1/transfers', {
      level: 3,
      recipients: [recipient],
      subject: 'Bescheid',
      files: [],
    });
    assert.equal(d.statusCode, 201, d.body);
    const id = d.json<{ id: string }>().id;
    const fileKey = generateFileKey();
    const env = await carla.json('PUT', `/api/v1/transfers/${id}/envelopes`, {
      envelopes: [
        { holder: 'sender', envelope: toBase64Url(await wrapFileKey(fileKey, pairOf('carla').publicKey)) },
        {
          holder: 'department',
          departmentKeyId: lookup.departments[0]?.keyId,
          envelope: toBase64Url(await wrapFileKey(fileKey, await importPublicKey(departmentPublicKey))),
        },
      ],
    });
    assert.equal(env.statusCode, 204, env.body);
    assert.equal((await carla.json('POST', `/api/v1/transfers/${id}/send`, {})).statusCode, 200);

    // The recipient registers and makes a key; carla is away, admin (a member) is online.
    const { account } = await accountForVerifiedEmail(t.deps.db, t.deps, a.tenant.id, recipient, 'de');
    const citizenKey = await createPersonalKey('Bürger-Passphrase 2026', ARGON);
    await storePersonalKey(
      t.deps,
      a.tenant.id,
      { kind: 'account', id: account.id },
      {
        publicKey: citizenKey.publicKey,
        wrappedWithPassphrase: toBase64Url(citizenKey.wrappedWithPassphrase),
        wrappedWithRecoveryCode: toBase64Url(citizenKey.wrappedWithRecoveryCode),
      },
      undefined,
    );
    assert.deepEqual((await erik.get('/api/v1/keys/rewraps')).json(), [], 'not for another department');
    const pending = (await admin.get('/api/v1/keys/rewraps')).json<
      {
        transferId: string;
        recipientId: string;
        publicKey: string;
        holder: string;
        envelope: string;
        departmentPublicKey: string | null;
        wrappedDepartmentKey: string | null;
      }[]
    >();
    const item = pending.find((p) => p.transferId === id);
    assert.ok(item !== undefined, 'the department member sees the pending re-wrap');
    assert.equal(item.holder, 'department');
    assert.equal(item.departmentPublicKey, departmentPublicKey);
    // admin's browser (lib/keystore.ts runRewraps): share → department key → file key → recipient.
    const scalar = await unwrapFileKey(fromBase64Url(item.wrappedDepartmentKey ?? ''), pairOf('admin'));
    const { x, y } = await crypto.subtle.exportKey('jwk', await importPublicKey(departmentPublicKey));
    const departmentPair = {
      privateKey: await crypto.subtle.importKey(
        'jwk',
        { kty: 'EC', crv: 'P-256', x, y, d: toBase64Url(scalar) },
        { name: 'ECDH', namedCurve: 'P-256' },
        false,
        ['deriveBits'],
      ),
      publicKey: await importPublicKey(departmentPublicKey),
    };
    const opened = await unwrapFileKey(fromBase64Url(item.envelope), departmentPair);
    assert.deepEqual(opened, fileKey);
    const rewrap = await admin.json('POST', '/api/v1/keys/rewraps', {
      transferId: id,
      recipientId: item.recipientId,
      envelope: toBase64Url(await wrapFileKey(opened, await importPublicKey(item.publicKey))),
    });
    assert.equal(rewrap.statusCode, 204, rewrap.body);
    const stored = await t.deps.db.query<{ envelope: Uint8Array }>(
      `SELECT envelope FROM transfer_envelopes WHERE transfer_id = $1 AND holder = 'recipient'`,
      [id],
    );
    assert.deepEqual(
      await unwrapFileKey(stored[0]?.envelope ?? new Uint8Array(), citizenKey.keyPair),
      fileKey,
    );
  });
});
