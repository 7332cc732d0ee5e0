import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createPersonalKey,
  decryptBytes,
  encryptBytes,
  exportPublicKey,
  fromBase64Url,
  generateKeyPair,
  generateFileKey,
  importPublicKey,
  toBase64Url,
  unwrapFileKey,
  wrapFileKey,
  type PersonalKey,
} from '@amtsbote/crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, outbox, seedTenant, TEST_PASSWORD, TestClient } from '../../testing/index.ts';
import { accountForVerifiedEmail } from '../accounts/index.ts';
import { hashPassword } from '../auth/index.ts';
import { storePersonalKey } from '../keys/index.ts';
import { cookieHeader, staffClient } from '../../testing/inbound.ts';
import { createStaff } from '../staff/index.ts';

// Replies at levels 3 and 4 (keys/replies.ts): the citizen's browser encrypts and wraps, the
// server checks the envelopes' holders and stores ciphertext only. Node's WebCrypto plays the
// browsers; server, database and blob store are the real ones.

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
const host = 'musterstadt.localhost';
const ARGON = { memoryKiB: 19 * 1024, iterations: 2, parallelism: 1 };
const citizen = 'buerger@example.org';
const neighbour = 'nachbarin@example.org';

let carla: TestClient;
let dora: TestClient;
let carlaKey: PersonalKey;
let citizenKey: PersonalKey;
/** The citizen's browser, signed in through the level-4 link; and the other recipient's link. */
let browser: TestClient;
let link = '';
let neighbourLink = '';
let token = '';

async function staffKey(c: TestClient, passphrase: string): Promise<PersonalKey> {
  const k = await createPersonalKey(passphrase, ARGON);
  const res = await c.json('POST', '/api/v1/keys/me', {
    publicKey: k.publicKey,
    wrappedWithPassphrase: toBase64Url(k.wrappedWithPassphrase),
    wrappedWithRecoveryCode: toBase64Url(k.wrappedWithRecoveryCode),
  });
  assert.equal(res.statusCode, 201, res.body);
  return k;
}

/** The link's level-2+ proof: a mailed code opens the link for the citizen's account. */
async function signInByLink(c: TestClient, path: string): Promise<void> {
  await c.get(path);
  const page = await c.postForm(`${path}/code`, {});
  const codeId = /name="codeId" value="([^"]+)"/.exec(page.body)?.[1];
  const code = /\b(\d{6})\b/.exec((await outbox(t)).at(-1)?.text ?? '')?.[1];
  assert.ok(codeId !== undefined && code !== undefined, page.body.slice(0, 500));
  const ok = await c.postForm(`${path}/verify`, { codeId, code });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
  await c.get(path);
}

/** JSON as the reply island sends it (errors on `/t/…` answer JSON only when asked for). */
async function api(
  c: TestClient,
  method: 'POST' | 'PUT',
  url: string,
  payload: unknown,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    headers: {
      host,
      accept: 'application/json',
      'content-type': 'application/json',
      cookie: cookieHeader(c),
      'x-csrf-token': c.csrfToken ?? '',
    },
    payload: JSON.stringify(payload),
  });
}

async function upload(
  c: TestClient,
  fileId: string,
  data: Uint8Array,
  linkToken: string,
): Promise<LightMyRequestResponse> {
  const headers = {
    host,
    cookie: cookieHeader(c),
    'x-csrf-token': c.csrfToken ?? '',
    'tus-resumable': '1.0.0',
    'amtsbote-link': linkToken,
  };
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: {
      ...headers,
      'upload-length': String(data.length),
      'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')}`,
    },
  });
  if (created.statusCode !== 201) return created;
  return t.app.inject({
    method: 'PATCH',
    url: `/api/v1/uploads/${fileId}`,
    headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    payload: Buffer.from(data),
  });
}

async function storedBytes(): Promise<Buffer> {
  const root = path.join(t.dataDir, 'blobs');
  const files = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const blobs = await Promise.all(
    files.filter((f) => f.isFile()).map((f) => readFile(path.join(f.parentPath, f.name))),
  );
  // Every row of the tables a transfer lives in, as text (bytea as hex and escaped).
  const rows: string[] = [];
  for (const table of ['transfers', 'transfer_files', 'transfer_envelopes', 'audit_events']) {
    const r = await t.deps.db.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM ${table} x`);
    rows.push(...r.map((x) => x.j));
  }
  return Buffer.concat([...blobs, Buffer.from(rows.join('\n'))]);
}

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  const passwordHash = await hashPassword(TEST_PASSWORD);
  for (const name of ['carla', 'dora']) {
    await createStaff(t.deps.db, t.deps, a.tenant.id, {
      email: `${name}@musterstadt.example`,
      displayName: name,
      status: 'active',
      departmentIds: [a.department.id],
      passwordHash,
    });
  }
  t.app.invalidateTenantCache();
  carla = await staffClient(t.app, host, 'carla@musterstadt.example');
  dora = await staffClient(t.app, host, 'dora@musterstadt.example');
  await carla.get('/inbox');
  carlaKey = await staffKey(carla, 'Carlas Passphrase 2026');

  const { account } = await accountForVerifiedEmail(t.deps.db, t.deps, a.tenant.id, citizen, 'de');
  citizenKey = await createPersonalKey('Bürger-Passphrase 2026', ARGON);
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

  // carla's level-4 message to two citizens, reply allowed.
  const fileKey = generateFileKey();
  const d = await carla.json('POST', '/api/v1/transfers', {
    level: 4,
    recipients: [citizen, neighbour],
    subject: 'Ihr Bescheid',
    message: toBase64Url(
      await encryptBytes(fileKey, new TextEncoder().encode('{"text":"Bescheid","files":[]}')),
    ),
    allowReply: true,
    files: [],
  });
  assert.equal(d.statusCode, 201, d.body);
  const id = d.json<{ id: string }>().id;
  const env = await carla.json('PUT', `/api/v1/transfers/${id}/envelopes`, {
    envelopes: [
      { holder: 'sender', envelope: toBase64Url(await wrapFileKey(fileKey, carlaKey.keyPair.publicKey)) },
      {
        holder: 'recipient',
        email: citizen,
        envelope: toBase64Url(await wrapFileKey(fileKey, citizenKey.keyPair.publicKey)),
      },
    ],
  });
  assert.equal(env.statusCode, 204, env.body);
  const sent = await carla.json('POST', `/api/v1/transfers/${id}/send`, {});
  assert.equal(sent.statusCode, 200, sent.body);
  const links = sent.json<{ recipients: { email: string; link: string }[] }>().recipients;
  link = new URL(links.find((r) => r.email === citizen)?.link ?? '').pathname;
  neighbourLink = new URL(links.find((r) => r.email === neighbour)?.link ?? '').pathname;
  token = link.split('/').pop() ?? '';
  browser = new TestClient(t.app, host);
  await signInByLink(browser, link);
});
after(() => t.close());

describe('replies at levels 3 and 4', () => {
  const marker = Buffer.concat([Buffer.from('REPLY-MARKER-PLAINTEXT-7345 '), randomBytes(200_000)]);
  const markerName = 'vertraulicher-nachweis-9931.pdf';
  const markerText = 'Geheimer Antworttext 5521';
  const replyKey = generateFileKey();
  let replyId = '';
  let fileId = '';
  let wrapped: Record<string, string> = {};

  it('names the keys to encrypt to: the sender’s and the citizen’s own', async () => {
    const res = await browser.get(`/api/v1/received/${token}/reply-keys`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      level: 4,
      addressee: carlaKey.publicKey,
      own: citizenKey.publicKey,
      departments: [],
    });
    const page = await browser.get(link);
    assert.match(page.body, /data-e2e-level="4"/, 'the reply form is the end-to-end one');
  });

  it('another recipient’s link, or no session, looks like a missing one', async () => {
    for (const [c, p] of [
      [browser, neighbourLink],
      [new TestClient(t.app, host), link],
    ] as const) {
      await c.get(p);
      const keys = await c.get(`/api/v1/received/${p.split('/').pop() ?? ''}/reply-keys`, {
        accept: 'application/json',
      });
      assert.equal(keys.statusCode, 404, keys.body);
      assert.equal(keys.json<{ error: { code: string } }>().error.code, 'ERR_LINK_INVALID');
      const draft = await api(c, 'POST', `${p}/replies`, { level: 4, subject: 'Re', files: [] });
      assert.equal(draft.statusCode, 404, draft.body);
    }
  });

  it('refuses a level other than the message’s own for an end-to-end reply', async () => {
    const res = await api(browser, 'POST', `${link}/replies`, { level: 3, subject: 'Re', files: [] });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_VALIDATION');
  });

  it('takes the encrypted reply, but sends it only with envelopes for the right holders', async () => {
    const cipher = await encryptBytes(replyKey, marker);
    const manifest = JSON.stringify({
      text: markerText,
      files: [{ name: markerName, type: 'application/pdf' }],
    });
    const d = await api(browser, 'POST', `${link}/replies`, {
      level: 4,
      subject: 'Re: Ihr Bescheid',
      message: toBase64Url(await encryptBytes(replyKey, new TextEncoder().encode(manifest))),
      files: [{ name: '1.amtb', size: cipher.length, type: 'application/octet-stream' }],
    });
    assert.equal(d.statusCode, 201, d.body);
    replyId = d.json<{ id: string }>().id;
    fileId = d.json<{ files: { id: string }[] }>().files[0]?.id ?? '';
    const up = await upload(browser, fileId, cipher, token);
    assert.equal(up.statusCode, 204, up.body);

    const send = (): Promise<LightMyRequestResponse> =>
      api(browser, 'POST', `${link}/replies/${replyId}/send`, {});
    const code = (r: LightMyRequestResponse): string => r.json<{ error: { code: string } }>().error.code;
    let r = await send();
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(code(r), 'ERR_REPLY_ENVELOPES_MISSING', 'no envelopes at all');

    wrapped = {
      addressee: toBase64Url(await wrapFileKey(replyKey, await importPublicKey(carlaKey.publicKey))),
      sender: toBase64Url(await wrapFileKey(replyKey, await importPublicKey(citizenKey.publicKey))),
    };
    const put = (envelopes: unknown[]): Promise<LightMyRequestResponse> =>
      api(browser, 'PUT', `${link}/replies/${replyId}/envelopes`, { envelopes });
    r = await put([
      { holder: 'addressee', envelope: wrapped.addressee },
      { holder: 'sender', envelope: toBase64Url(randomBytes(87)) },
    ]);
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(code(r), 'ERR_KEY_FORMAT', 'not an envelope');
    r = await put([
      { holder: 'addressee', envelope: wrapped.addressee },
      { holder: 'addressee', envelope: wrapped.addressee },
    ]);
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(code(r), 'ERR_VALIDATION', 'one envelope per holder');
    r = await put([
      { holder: 'addressee', envelope: wrapped.addressee },
      {
        holder: 'department',
        departmentKeyId: '00000000-0000-4000-8000-000000000000',
        envelope: wrapped.sender,
      },
    ]);
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(code(r), 'ERR_VALIDATION', 'no department key without shared outboxes');
    // The neighbour's link does not reach this citizen's draft.
    const foreign = await api(browser, 'PUT', `${neighbourLink}/replies/${replyId}/envelopes`, {
      envelopes: [
        { holder: 'addressee', envelope: wrapped.addressee },
        { holder: 'sender', envelope: wrapped.sender },
      ],
    });
    assert.equal(foreign.statusCode, 404, foreign.body);

    r = await put([
      { holder: 'addressee', envelope: wrapped.addressee },
      { holder: 'sender', envelope: wrapped.sender },
    ]);
    assert.equal(r.statusCode, 204, r.body);
    r = await send();
    assert.equal(r.statusCode, 200, r.body);
    const row = await t.deps.db.query<{
      level: number;
      e2e: string;
      e2e_message: boolean;
      scan_status: string;
    }>(
      `SELECT t.level, t.e2e, t.e2e_message, f.scan_status FROM transfers t JOIN transfer_files f ON f.transfer_id = t.id WHERE t.id = $1`,
      [replyId],
    );
    assert.deepEqual(row, [{ level: 4, e2e: 'recipients', e2e_message: true, scan_status: 'e2e' }]);
  });

  it('the caseworker opens it with her key; nobody else gets an envelope', async () => {
    const page = await carla.get(`/transfers/${replyId}`);
    assert.equal(page.statusCode, 200, page.body.slice(0, 500));
    assert.match(page.body, new RegExp(`data-envelope-url="/api/v1/transfers/${replyId}/envelope"`));
    const env = await carla.get(`/api/v1/transfers/${replyId}/envelope`);
    assert.equal(env.statusCode, 200, env.body);
    assert.equal(env.json<{ holder: string }>().holder, 'addressee');
    const key = await unwrapFileKey(
      fromBase64Url(env.json<{ envelope: string }>().envelope),
      carlaKey.keyPair,
    );
    const file = await carla.get(`/api/v1/transfers/${replyId}/files/${fileId}`);
    assert.equal(file.statusCode, 200, file.body.slice(0, 300));
    assert.deepEqual(Buffer.from(await decryptBytes(key, file.rawPayload)), marker);
    assert.equal(
      (await dora.get(`/api/v1/transfers/${replyId}/envelope`)).statusCode,
      404,
      'another caseworker',
    );
    // The citizen's own envelope opens the same key (to read the sent reply).
    const own = await t.deps.db.query<{ envelope: Uint8Array }>(
      `SELECT envelope FROM transfer_envelopes WHERE transfer_id = $1 AND holder = 'sender'`,
      [replyId],
    );
    assert.deepEqual(await unwrapFileKey(own[0]?.envelope ?? new Uint8Array(), citizenKey.keyPair), replyKey);
  });

  it('the citizen reads her own sent reply again; nobody else gets its envelope', async () => {
    const envUrl = (tok: string): string => `/api/v1/received/${tok}/replies/${replyId}/envelope`;
    const fileUrl = (p: string): string => `${p}/replies/${replyId}/files/${fileId}`;
    const page = await browser.get(link);
    assert.match(page.body, new RegExp(`data-envelope-url="${envUrl(token)}"`), 'the thread offers it');
    assert.match(page.body, /data-own-reply-open/);
    const env = await browser.get(envUrl(token), { accept: 'application/json' });
    assert.equal(env.statusCode, 200, env.body);
    const got = env.json<{ state: string; envelope: string }>();
    assert.equal(got.state, 'ready');
    const key = await unwrapFileKey(fromBase64Url(got.envelope), citizenKey.keyPair);
    assert.deepEqual(key, replyKey);
    const file = await browser.get(fileUrl(link));
    assert.equal(file.statusCode, 200, file.body.slice(0, 300));
    assert.deepEqual(Buffer.from(await decryptBytes(key, file.rawPayload)), marker);
    const ranged = await browser.get(fileUrl(link), { range: 'bytes=100-' });
    assert.equal(ranged.statusCode, 206, 'resumable like any download');

    // The other recipient of the same message, signed in by her own link; the same link without
    // a session and with hers; a caseworker; the same request on another tenant's host.
    const other = new TestClient(t.app, host);
    await signInByLink(other, neighbourLink);
    const neighbourToken = neighbourLink.split('/').pop() ?? '';
    const stranger = new TestClient(t.app, host);
    await stranger.get(link);
    await seedTenant(t.deps, {
      slug: 'nachbarstadt',
      name: 'Nachbarstadt',
      hostnames: ['nachbarstadt.localhost'],
    });
    t.app.invalidateTenantCache();
    const elsewhere = (url: string): Promise<LightMyRequestResponse> =>
      t.app.inject({
        method: 'GET',
        url,
        headers: {
          host: 'nachbarstadt.localhost',
          cookie: cookieHeader(browser),
          accept: 'application/json',
        },
      });
    const denied: [string, Promise<LightMyRequestResponse>][] = [
      ['her own link', other.get(envUrl(neighbourToken), { accept: 'application/json' })],
      ['her own link, the file', other.get(fileUrl(neighbourLink))],
      ['the citizen’s link', other.get(envUrl(token), { accept: 'application/json' })],
      ['the citizen’s link, the file', other.get(fileUrl(link))],
      ['no session', stranger.get(envUrl(token), { accept: 'application/json' })],
      ['a caseworker', carla.get(envUrl(token), { accept: 'application/json' })],
      ['another tenant', elsewhere(envUrl(token))],
      ['another tenant, the file', elsewhere(fileUrl(link))],
    ];
    for (const [who, res] of denied) assert.equal((await res).statusCode, 404, who);
    // The message itself is no reply of hers.
    const msgId =
      (
        await t.deps.db.query<{ id: string }>(`SELECT in_reply_to AS id FROM transfers WHERE id = $1`, [
          replyId,
        ])
      )[0]?.id ?? '';
    assert.equal(
      (
        await browser.get(`/api/v1/received/${token}/replies/${msgId}/envelope`, {
          accept: 'application/json',
        })
      ).statusCode,
      404,
      'not a reply of hers',
    );

    // Her key replaced: the page says it cannot be opened any more, instead of failing.
    await t.deps.db.query(`UPDATE personal_keys SET retired_at = now() WHERE public_key = $1`, [
      citizenKey.publicKey,
    ]);
    const retired = await browser.get(envUrl(token), { accept: 'application/json' });
    assert.deepEqual(retired.json(), { state: 'other-key', envelope: null });
    await t.deps.db.query(`UPDATE personal_keys SET retired_at = NULL WHERE public_key = $1`, [
      citizenKey.publicKey,
    ]);
  });

  it('stores neither the file, its name nor the text in plaintext', async () => {
    const stored = await storedBytes();
    for (const needle of [marker.subarray(0, 28), Buffer.from(markerName), Buffer.from(markerText)]) {
      assert.equal(stored.includes(needle), false, `not stored: ${needle.toString('latin1')}`);
    }
  });

  it('shared department outboxes: also wrapped for the addressee’s department key, which a colleague opens', async () => {
    await dora.get('/inbox');
    const doraKey = await staffKey(dora, 'Doras Passphrase 2026');
    const pair = await generateKeyPair({ extractable: true });
    const departmentPublicKey = await exportPublicKey(pair.publicKey);
    const scalar = fromBase64Url((await crypto.subtle.exportKey('jwk', pair.privateKey)).d ?? '');
    const shares = [];
    for (const k of [carlaKey, doraKey]) {
      shares.push({
        staffId:
          (
            await t.deps.db.query<{ id: string }>(
              `SELECT staff_id AS id FROM personal_keys WHERE public_key = $1`,
              [k.publicKey],
            )
          )[0]?.id ?? '',
        memberPublicKey: k.publicKey,
        wrappedPrivateKey: toBase64Url(await wrapFileKey(scalar, await importPublicKey(k.publicKey))),
      });
    }
    const put = await carla.json('PUT', `/api/v1/departments/${a.department.id}/key`, {
      publicKey: departmentPublicKey,
      shares,
    });
    assert.equal(put.statusCode, 200, put.body);
    await t.deps.db.query(
      `UPDATE tenants SET settings = settings || '{"sharedDepartmentOutboxes": true}' WHERE id = $1`,
      [a.tenant.id],
    );
    t.app.invalidateTenantCache();

    const keys = (await browser.get(`/api/v1/received/${token}/reply-keys`)).json<{
      departments: { keyId: string; publicKey: string }[];
    }>();
    assert.deepEqual(
      keys.departments.map((d) => d.publicKey),
      [departmentPublicKey],
    );
    const d = await api(browser, 'POST', `${link}/replies`, {
      level: 4,
      subject: 'Re: noch etwas',
      message: toBase64Url(await encryptBytes(replyKey, new TextEncoder().encode('{"text":"x","files":[]}'))),
      files: [],
    });
    assert.equal(d.statusCode, 201, d.body);
    const id = d.json<{ id: string }>().id;
    const personal = [
      { holder: 'addressee', envelope: wrapped.addressee },
      { holder: 'sender', envelope: wrapped.sender },
    ];
    assert.equal(
      (await api(browser, 'PUT', `${link}/replies/${id}/envelopes`, { envelopes: personal })).statusCode,
      204,
    );
    const refused = await api(browser, 'POST', `${link}/replies/${id}/send`, {});
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(
      refused.json<{ error: { code: string } }>().error.code,
      'ERR_REPLY_ENVELOPES_MISSING',
      'the department envelope is missing',
    );
    const department = {
      holder: 'department',
      departmentKeyId: keys.departments[0]?.keyId,
      envelope: toBase64Url(await wrapFileKey(replyKey, await importPublicKey(departmentPublicKey))),
    };
    assert.equal(
      (await api(browser, 'PUT', `${link}/replies/${id}/envelopes`, { envelopes: [...personal, department] }))
        .statusCode,
      204,
    );
    const sent = await api(browser, 'POST', `${link}/replies/${id}/send`, {});
    assert.equal(sent.statusCode, 200, sent.body);

    // dora, a colleague in the department: her share opens the department key, that the reply.
    const env = await dora.get(`/api/v1/transfers/${id}/envelope`);
    assert.equal(env.statusCode, 200, env.body);
    const got = env.json<{ holder: string; envelope: string; wrappedDepartmentKey: string }>();
    assert.equal(got.holder, 'department');
    const d2 = await unwrapFileKey(fromBase64Url(got.wrappedDepartmentKey), doraKey.keyPair);
    const { x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const departmentPair = {
      privateKey: await crypto.subtle.importKey(
        'jwk',
        { kty: 'EC', crv: 'P-256', x, y, d: toBase64Url(d2) },
        { name: 'ECDH', namedCurve: 'P-256' },
        false,
        ['deriveBits'],
      ),
      publicKey: pair.publicKey,
    };
    assert.deepEqual(await unwrapFileKey(fromBase64Url(got.envelope), departmentPair), replyKey);
    await t.deps.db.query(
      `UPDATE tenants SET settings = settings - 'sharedDepartmentOutboxes' WHERE id = $1`,
      [a.tenant.id],
    );
    t.app.invalidateTenantCache();
  });

  it('when the sender has no key any more: refused with its own code, level 2 still possible', async () => {
    await t.deps.db.query(`UPDATE personal_keys SET retired_at = now() WHERE public_key = $1`, [
      carlaKey.publicKey,
    ]);
    const keys = await browser.get(`/api/v1/received/${token}/reply-keys`);
    assert.equal(keys.json<{ addressee: string | null }>().addressee, null);
    const e2e = await api(browser, 'POST', `${link}/replies`, { level: 4, subject: 'Re', files: [] });
    assert.equal(e2e.statusCode, 409, e2e.body);
    assert.equal(e2e.json<{ error: { code: string } }>().error.code, 'ERR_REPLY_KEY_MISSING');
    const plain = await api(browser, 'POST', `${link}/replies`, {
      level: 2,
      subject: 'Re',
      message: 'Auf Stufe 2',
      files: [],
    });
    assert.equal(plain.statusCode, 201, plain.body);
    const level = await t.deps.db.query<{ level: number }>(`SELECT level FROM transfers WHERE id = $1`, [
      plain.json<{ id: string }>().id,
    ]);
    assert.equal(level[0]?.level, 2);
  });
});

describe('replies at levels 3 and 4 in an organisation’s name', () => {
  const CONTACT = 'postfach@bau.example';
  let anna: TestClient;
  let zoe: TestClient;
  let orgId = '';
  let transferId = '';
  let orgPair: CryptoKeyPair;
  let orgPublicKey = '';
  let orgReply = { id: '', fileId: '', key: new Uint8Array(), plain: Buffer.alloc(0) };

  async function register(email: string, on = host): Promise<TestClient> {
    const c = new TestClient(t.app, on);
    await c.get('/account/register');
    const asked = await c.postForm('/account/register', { email });
    const code =
      /\b(\d{6})\b/.exec((await outbox(t)).filter((m) => m.to.includes(email)).at(-1)?.text ?? '')?.[1] ?? '';
    const codeId = /name="codeId" value="([^"]+)"/.exec(asked.body)?.[1] ?? '';
    assert.equal((await c.postForm('/account/register/verify', { codeId, code, email })).statusCode, 303);
    await c.get('/account');
    return c;
  }

  before(async () => {
    // carla's key was retired above: she makes a new one.
    carlaKey = await staffKey(carla, 'Carlas neue Passphrase 2026');
    anna = await register('anna@bau.example');
    const annaKey = await createPersonalKey('Annas Passphrase 2026', ARGON);
    assert.equal(
      (
        await anna.json('POST', '/api/v1/keys/me', {
          publicKey: annaKey.publicKey,
          wrappedWithPassphrase: toBase64Url(annaKey.wrappedWithPassphrase),
          wrappedWithRecoveryCode: toBase64Url(annaKey.wrappedWithRecoveryCode),
        })
      ).statusCode,
      201,
    );
    await anna.get('/organisations/new');
    const created = await anna.postForm('/organisations/new', {
      name: 'Muster Bau GmbH',
      contactEmail: CONTACT,
      consent: 'on',
    });
    orgId = /\/organisations\/([0-9a-f-]{36})/.exec(String(created.headers.location))?.[1] ?? '';
    assert.ok(orgId !== '', created.body);
    await anna.get(`/organisations/${orgId}`);
    orgPair = await generateKeyPair({ extractable: true });
    orgPublicKey = await exportPublicKey(orgPair.publicKey);
    const scalar = fromBase64Url((await crypto.subtle.exportKey('jwk', orgPair.privateKey)).d ?? '');
    const set = await anna.json('PUT', `/api/v1/organisations/${orgId}/keys`, {
      publicKey: orgPublicKey,
      wrappedPrivateKey: toBase64Url(await wrapFileKey(scalar, annaKey.keyPair.publicKey)),
    });
    assert.equal(set.statusCode, 204, set.body);
    zoe = await register('zoe@example.org');

    const fileKey = generateFileKey();
    const d = await carla.json('POST', '/api/v1/transfers', {
      level: 4,
      recipients: [CONTACT],
      subject: 'Baugenehmigung',
      message: toBase64Url(
        await encryptBytes(fileKey, new TextEncoder().encode('{"text":"Genehmigt","files":[]}')),
      ),
      allowReply: true,
      files: [],
    });
    assert.equal(d.statusCode, 201, d.body);
    transferId = d.json<{ id: string }>().id;
    const env = await carla.json('PUT', `/api/v1/transfers/${transferId}/envelopes`, {
      envelopes: [
        { holder: 'sender', envelope: toBase64Url(await wrapFileKey(fileKey, carlaKey.keyPair.publicKey)) },
        {
          holder: 'recipient',
          email: CONTACT,
          envelope: toBase64Url(await wrapFileKey(fileKey, orgPair.publicKey)),
        },
      ],
    });
    assert.equal(env.statusCode, 204, env.body);
    assert.equal((await carla.json('POST', `/api/v1/transfers/${transferId}/send`, {})).statusCode, 200);
  });

  it('a member replies at level 4, wrapped for the caseworker and the organisation’s key; she opens it', async () => {
    const keysUrl = `/api/v1/organisations/${orgId}/postbox/${transferId}/reply-keys`;
    const keys = await anna.get(keysUrl);
    assert.equal(keys.statusCode, 200, keys.body);
    assert.deepEqual(keys.json(), {
      level: 4,
      addressee: carlaKey.publicKey,
      own: orgPublicKey,
      departments: [],
    });
    assert.equal((await zoe.get(keysUrl)).statusCode, 404, 'not a member');
    const page = await anna.get(`/organisations/${orgId}/postbox/${transferId}`);
    assert.match(page.body, /data-e2e-level="4"/);

    const repliesUrl = `/api/v1/organisations/${orgId}/postbox/${transferId}/replies`;
    const wrong = await anna.json('POST', repliesUrl, { level: 3, subject: 'Re', files: [] });
    assert.equal(wrong.statusCode, 400, wrong.body);
    const key = generateFileKey();
    const plain = Buffer.from('ORG-REPLY-MARKER-1188 Unterlagen');
    const cipher = await encryptBytes(key, plain);
    const d = await anna.json('POST', repliesUrl, {
      level: 4,
      subject: 'Re: Baugenehmigung',
      message: toBase64Url(
        await encryptBytes(
          key,
          new TextEncoder().encode('{"text":"Danke","files":[{"name":"plan.pdf","type":""}]}'),
        ),
      ),
      files: [{ name: '1.amtb', size: cipher.length, type: 'application/octet-stream' }],
    });
    assert.equal(d.statusCode, 201, d.body);
    const replyId = d.json<{ id: string }>().id;
    const fileId = d.json<{ files: { id: string }[] }>().files[0]?.id ?? '';
    orgReply = { id: replyId, fileId, key, plain };
    const headers = {
      host,
      cookie: cookieHeader(anna),
      'x-csrf-token': anna.csrfToken ?? '',
      'tus-resumable': '1.0.0',
    };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: {
        ...headers,
        'upload-length': String(cipher.length),
        'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')}`,
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/uploads/${fileId}`,
      headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      payload: Buffer.from(cipher),
    });
    assert.equal(patched.statusCode, 204, patched.body);

    const sendUrl = `/api/v1/organisations/${orgId}/replies/${replyId}/send`;
    const early = await anna.json('POST', sendUrl, {});
    assert.equal(early.statusCode, 409, early.body);
    assert.equal(early.json<{ error: { code: string } }>().error.code, 'ERR_REPLY_ENVELOPES_MISSING');
    const envelopes = [
      { holder: 'addressee', envelope: toBase64Url(await wrapFileKey(key, carlaKey.keyPair.publicKey)) },
      { holder: 'sender', envelope: toBase64Url(await wrapFileKey(key, orgPair.publicKey)) },
    ];
    const envUrl = `/api/v1/organisations/${orgId}/replies/${replyId}/envelopes`;
    assert.equal((await zoe.json('PUT', envUrl, { envelopes })).statusCode, 404, 'not a member');
    const put = await anna.json('PUT', envUrl, { envelopes });
    assert.equal(put.statusCode, 204, put.body);
    const sent = await anna.json('POST', sendUrl, {});
    assert.equal(sent.statusCode, 200, sent.body);
    const own = await t.deps.db.query<{ personal_key_id: string | null; envelope: Uint8Array }>(
      `SELECT personal_key_id, envelope FROM transfer_envelopes WHERE transfer_id = $1 AND holder = 'sender'`,
      [replyId],
    );
    const row = own[0];
    assert.ok(row !== undefined);
    assert.equal(row.personal_key_id, null, 'the organisation’s copy is for its key, no member’s');
    assert.deepEqual(await unwrapFileKey(row.envelope, orgPair), key);

    const env = await carla.get(`/api/v1/transfers/${replyId}/envelope`);
    assert.equal(env.statusCode, 200, env.body);
    const opened = await unwrapFileKey(
      fromBase64Url(env.json<{ envelope: string }>().envelope),
      carlaKey.keyPair,
    );
    const file = await carla.get(`/api/v1/transfers/${replyId}/files/${fileId}`);
    assert.deepEqual(Buffer.from(await decryptBytes(opened, file.rawPayload)), plain);
    assert.equal(
      (await storedBytes()).includes(Buffer.from('ORG-REPLY-MARKER-1188')),
      false,
      'no plaintext at rest',
    );
  });

  it('members read the reply sent in the organisation’s name again, with its key; nobody else', async () => {
    const { id, fileId, key, plain } = orgReply;
    const envUrl = `/api/v1/organisations/${orgId}/postbox/${id}/envelope`;
    const page = await anna.get(`/organisations/${orgId}/postbox/${id}`);
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(page.body, new RegExp(`id="e2e-open"[^>]*data-envelope-url="${envUrl}"`));
    const thread = await anna.get(`/organisations/${orgId}/postbox/${transferId}`);
    assert.match(
      thread.body,
      new RegExp(`href="/organisations/${orgId}/postbox/${id}"`),
      'linked from the thread',
    );

    const env = await anna.get(envUrl);
    assert.equal(env.statusCode, 200, env.body);
    const got = env.json<{
      state: string;
      envelope: string;
      organisationPublicKey: string;
      wrappedOrganisationKey: string;
    }>();
    assert.equal(got.state, 'ready');
    assert.equal(got.organisationPublicKey, orgPublicKey);
    assert.ok(got.wrappedOrganisationKey.length > 0, 'with her share of the organisation’s key');
    const opened = await unwrapFileKey(fromBase64Url(got.envelope), orgPair);
    assert.deepEqual(opened, key);
    const file = await anna.get(`/organisations/${orgId}/postbox/${id}/files/${fileId}`);
    assert.equal(file.statusCode, 200, file.body.slice(0, 300));
    assert.deepEqual(Buffer.from(await decryptBytes(opened, file.rawPayload)), plain);

    assert.equal((await zoe.get(envUrl)).statusCode, 404, 'not a member');
    // A staff session is no account session at all: the organisation routes answer 401 for
    // any organisation, existing or not, so that tells nothing either.
    assert.equal((await carla.get(envUrl)).statusCode, 401, 'a caseworker');
    // The same address signed in on another tenant: no member there, whatever the id.
    const elsewhere = await register('anna@bau.example', 'nachbarstadt.localhost');
    assert.equal((await elsewhere.get(envUrl)).statusCode, 404, 'another tenant');
  });
});
