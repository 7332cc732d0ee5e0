/**
 * Benchmark `org-keys` (issue 6): what the organisation key costs while the portal runs. Every
 * member's browser with an unlocked key asks `GET /api/v1/organisations/key-shares` once a minute
 * (key-session.ts), so that answer must stay cheap for a large organisation; when members wait,
 * the browser wraps the organisation's scalar once per member (one P-256 ECDH + HKDF + AES-GCM,
 * measured here in Node's WebCrypto as a stand-in for the browser's). In-process portal on
 * embedded PGlite (the default a newcomer gets), one organisation of MEMBERS members.
 */
import { randomBytes } from 'node:crypto';
import { generateKeyPair, importPublicKey, exportPublicKey, wrapFileKey } from '@amtsbote/crypto';
import { TestClient, createTestApp, outbox, seedTenant } from '@amtsbote/server/testing';
import { summarize } from './lib/stats.ts';
import type { Benchmark, Figure } from './lib/types.ts';

const MEMBERS = Number(process.env.BENCH_ORG_MEMBERS ?? 2000);
const REQUESTS = Number(process.env.BENCH_ORG_REQUESTS ?? 40);
const WRAPS = Number(process.env.BENCH_ORG_WRAPS ?? 200);
const host = 'bench.localhost';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

async function timeRequests(c: TestClient, n: number): Promise<{ ms: number; items: number }> {
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await c.get('/api/v1/organisations/key-shares');
    times.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`key-shares: HTTP ${String(res.statusCode)}`);
    const body = res.json<{ members: unknown[] }[]>();
    items = body.reduce((sum, o) => sum + o.members.length, 0);
  }
  return { ms: summarize(times).median, items };
}

const benchmark: Benchmark = {
  name: 'org-keys',
  description: `Organisation key: the once-a-minute key-shares poll for ${String(MEMBERS)} members (PGlite), wrap cost per member`,
  async run(ctx) {
    ctx.log('setting up the portal (PGlite) and an organisation …');
    const t = await createTestApp();
    try {
      await seedTenant(t.deps, { slug: 'bench', name: 'Bench', hostnames: [host] });
      t.app.invalidateTenantCache();
      const anna = new TestClient(t.app, host);
      await anna.get('/account/register');
      const asked = await anna.postForm('/account/register', { email: 'anna@bench.example' });
      const mail = (await outbox(t)).find((m) => m.to.includes('anna@bench.example'));
      const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';
      const codeId = /name="codeId" value="([^"]+)"/.exec(asked.body)?.[1] ?? '';
      await anna.postForm('/account/register/verify', { codeId, code, email: 'anna@bench.example' });
      await anna.get('/organisations/new');
      const created = await anna.postForm('/organisations/new', {
        name: 'Groß GmbH',
        contactEmail: 'post@gross.example',
        consent: 'on',
      });
      const orgId = /\/organisations\/([0-9a-f-]{36})/.exec(String(created.headers.location))?.[1] ?? '';
      const own = await exportPublicKey((await generateKeyPair()).publicKey);
      const env = b64(Buffer.concat([Buffer.from('AMTBE\x01', 'latin1'), randomBytes(81)]));
      // The holder's own personal key, then the organisation's key with her share.
      const k = Buffer.concat([Buffer.from('AMTBK\x01', 'latin1'), randomBytes(25)]);
      const point = Buffer.from(own.slice('amtb-pub1-'.length), 'base64url');
      const r = Buffer.concat([Buffer.from('AMTBR\x01', 'latin1'), randomBytes(16)]);
      await anna.json('POST', '/api/v1/keys/me', {
        publicKey: own,
        wrappedWithPassphrase: b64(Buffer.concat([k, point, randomBytes(112 - 31 - 33)])),
        wrappedWithRecoveryCode: b64(Buffer.concat([r, point, randomBytes(103 - 22 - 33)])),
      });
      const set = await anna.json('PUT', `/api/v1/organisations/${orgId}/keys`, {
        publicKey: own,
        wrappedPrivateKey: env,
      });
      if (set.statusCode !== 204) throw new Error(`organisation key: HTTP ${String(set.statusCode)}`);
      const [tenant] = await t.deps.db.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'bench'`);
      const tenantId = tenant?.id ?? '';
      // MEMBERS confirmed members, each with a current personal key and no share yet.
      await t.deps.db.query(
        `WITH a AS (
           INSERT INTO accounts (tenant_id, id, email, created_at, last_active_at)
           SELECT $1, gen_random_uuid(), 'm' || g || '@gross.example', now(), now() FROM generate_series(1, $3::int) g RETURNING id
         ), m AS (
           INSERT INTO organisation_members (tenant_id, organisation_id, account_id, role, since) SELECT $1, $2, id, 'member', now() FROM a RETURNING account_id
         )
         INSERT INTO personal_keys (tenant_id, id, account_id, public_key, wrapped_passphrase, wrapped_recovery, created_at, updated_at)
         SELECT $1, gen_random_uuid(), account_id, $4, decode(repeat('00', 112), 'hex'), decode(repeat('00', 103), 'hex'), now(), now() FROM m`,
        [tenantId, orgId, MEMBERS, own],
      );

      const pending: Figure & { samples: number[] } = {
        id: 'poll-pending',
        label: `key-shares poll, ${String(MEMBERS)} members waiting (PGlite)`,
        unit: 'ms',
        better: 'lower',
        samples: [],
        note: `median of ${String(REQUESTS)} requests per round, in-process (app.inject)`,
      };
      const idle: Figure & { samples: number[] } = {
        id: 'poll-idle',
        label: `key-shares poll, nothing to do, ${String(MEMBERS)} members (PGlite)`,
        unit: 'ms',
        better: 'lower',
        samples: [],
        note: 'the common case: every signed-in member with an unlocked key, once a minute',
      };
      const wrap: Figure & { samples: number[] } = {
        id: 'wrap-member',
        label: 'wrap the organisation key for one member (Node WebCrypto)',
        unit: 'ms',
        better: 'lower',
        samples: [],
        note: `mean of ${String(WRAPS)} wraps per round; a browser pays about the same per waiting member`,
      };
      const memberKey = await importPublicKey(own);
      const scalar = randomBytes(32);
      for (let round = 0; round < ctx.rounds; round++) {
        await t.deps.db.query(
          `DELETE FROM organisation_key_shares WHERE tenant_id = $1 AND organisation_id = $2 AND created_by IS DISTINCT FROM account_id`,
          [tenantId, orgId],
        );
        const p = await timeRequests(anna, REQUESTS);
        if (p.items !== MEMBERS)
          throw new Error(`expected ${String(MEMBERS)} waiting members, got ${String(p.items)}`);
        pending.samples.push(p.ms);
        await t.deps.db.query(
          `INSERT INTO organisation_key_shares (tenant_id, organisation_id, account_id, wrapped_private_key, created_at, created_by)
           SELECT m.tenant_id, m.organisation_id, m.account_id, decode(repeat('00', 87), 'hex'), now(), $3 FROM organisation_members m
           WHERE m.tenant_id = $1 AND m.organisation_id = $2 ON CONFLICT DO NOTHING`,
          [tenantId, orgId, (await anna.get('/api/v1/account')).json<{ id: string }>().id],
        );
        const i = await timeRequests(anna, REQUESTS);
        if (i.items !== 0) throw new Error('expected nothing to do');
        idle.samples.push(i.ms);
        const t0 = performance.now();
        for (let w = 0; w < WRAPS; w++) await wrapFileKey(scalar, memberKey);
        wrap.samples.push((performance.now() - t0) / WRAPS);
        ctx.log(
          `round ${String(round + 1)}: pending ${p.ms.toFixed(1)} ms, idle ${i.ms.toFixed(1)} ms, wrap ${(wrap.samples.at(-1) ?? 0).toFixed(3)} ms`,
        );
      }
      return { figures: [idle, pending, wrap], limits: {}, plots: [], notes: [] };
    } finally {
      await t.close();
    }
  },
};
export default benchmark;
