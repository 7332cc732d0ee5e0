import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MINUTE } from '../../adapters/clock.ts';
import { ClamdScanner } from '../../adapters/scanner/clamd.ts';
import type { TestClamd } from '../../adapters/scanner/test-clamd.ts';
import { clamdAvailable, EICAR, startTestClamd } from '../../adapters/scanner/test-clamd.ts';
import { scanPendingOnce, settleScans } from './scan.ts';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, outbox, seedTenant, TestClient } from '../../testing/index.ts';
import { updateDropoffSettings } from './departments.ts';
import { PDF, startDropoff, staffClient, tus, verify } from '../../testing/inbound.ts';

const available = clamdAvailable();
const host = 'musterstadt.localhost';

describe(
  'incoming files are scanned by a real clamd before anyone can download them',
  { skip: available.ok ? false : available.reason },
  () => {
    let t: TestApp;
    let clamd: TestClamd;
    let a: Awaited<ReturnType<typeof seedTenant>>;
    let staff: TestClient;
    let n = 0;

    before(async () => {
      clamd = await startTestClamd();
      t = await createTestApp({ scanner: new ClamdScanner(clamd.url) });
      a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
      await updateDropoffSettings(t.deps.db, a.tenant.id, a.department.id, {
        dropoffEnabled: true,
        dropoffHint: null,
        allowedTypes: null,
      });
      t.app.invalidateTenantCache();
      staff = await staffClient(t.app, host, a.admin.email);
    });
    after(async () => {
      await settleScans();
      await t.close();
      await clamd.close();
    });

    /** A drop-off with one file, submitted; returns the transfer and file ids. */
    async function dropoff(
      name: string,
      data: Buffer,
    ): Promise<{ transferId: string; fileId: string; email: string }> {
      n += 1;
      const email = `sender${n}@example.org`;
      const c = new TestClient(t.app, host);
      const { id } = await startDropoff(t, c, `/dropoff/to/${a.department.id}`, {
        firstName: 'Ida',
        lastName: 'Test',
        phone: '',
        email,
      });
      await verify(t, c, id, email);
      const d = await c.json('POST', `/api/v1/inbound/${id}/drafts`, {
        subject: `Scan ${n}`,
        files: [{ name, size: data.length, type: 'application/pdf' }],
      });
      assert.equal(d.statusCode, 201, d.body);
      const draft = d.json<{ id: string; files: { id: string }[] }>();
      const fileId = draft.files[0]?.id ?? '';
      assert.equal((await tus(t.app, c, host, fileId, data)).statusCode, 204);
      const s = await c.json('POST', `/api/v1/inbound/${id}/submit`, { draftId: draft.id });
      assert.equal(s.statusCode, 200, s.body);
      return { transferId: draft.id, fileId, email };
    }

    async function scanStatus(fileId: string): Promise<string> {
      return (
        (
          await t.deps.db.query<{ scan_status: string }>(
            `SELECT scan_status FROM transfer_files WHERE id = $1`,
            [fileId],
          )
        )[0]?.scan_status ?? ''
      );
    }

    it('quarantines an infected PDF-named file: never served, sender and department told', async () => {
      const infected = Buffer.concat([PDF('Rechnung'), Buffer.from(`\n% ${EICAR}\n`, 'latin1')]);
      const { transferId, fileId, email } = await dropoff('rechnung.pdf', infected);
      await settleScans();
      await scanPendingOnce(t.deps);
      assert.equal(await scanStatus(fileId), 'infected');
      const page = await staff.get(`/inbox/${transferId}`);
      assert.match(page.body, /Schadsoftware gefunden \(Amtsbote\.Test\.EICAR/);
      assert.doesNotMatch(page.body, new RegExp(`/inbox/${transferId}/files/${fileId}`), 'no download link');
      const direct = await staff.get(`/inbox/${transferId}/files/${fileId}`);
      assert.equal(direct.statusCode, 410);
      const zip = await staff.get(`/inbox/${transferId}/zip`);
      assert.ok(!zip.rawPayload.includes(Buffer.from('EICAR')), 'not in the ZIP either');
      const segments = await t.deps.db.query(`SELECT 1 FROM file_segments WHERE file_id = $1`, [fileId]);
      assert.equal(segments.length, 0, 'content destroyed');
      const mails = await outbox(t);
      assert.ok(
        mails.some((m) => m.to.includes(email) && m.subject.includes('nicht zugestellt')),
        'sender told',
      );
      assert.ok(
        mails.some((m) => m.to.includes(a.admin.email) && m.subject.includes('Datei gesperrt')),
        'department told',
      );
    });

    it('releases a clean PDF once scanned', async () => {
      const clean = PDF('Sauber');
      const { transferId, fileId } = await dropoff('sauber.pdf', clean);
      await settleScans();
      await scanPendingOnce(t.deps);
      assert.equal(await scanStatus(fileId), 'clean');
      const file = await staff.get(`/inbox/${transferId}/files/${fileId}`);
      assert.equal(file.statusCode, 200);
      assert.ok(file.rawPayload.equals(clean));
    });

    it('with clamd stopped files wait (never served), and are released once it is back', async () => {
      await clamd.stop();
      const clean = PDF('Wartet');
      const { transferId, fileId } = await dropoff('wartet.pdf', clean);
      await settleScans();
      assert.equal((await scanPendingOnce(t.deps)).clean, 0);
      assert.equal(await scanStatus(fileId), 'pending');
      const waiting = await staff.get(`/inbox/${transferId}/files/${fileId}`);
      assert.equal(waiting.statusCode, 409);
      assert.match((await staff.get(`/inbox/${transferId}`)).body, /wird geprüft – noch nicht abrufbar/);
      await clamd.start();
      assert.equal((await scanPendingOnce(t.deps)).clean, 0, 'waits for its back-off');
      t.clock.advance(11 * MINUTE);
      assert.equal((await scanPendingOnce(t.deps)).clean, 1);
      assert.equal(await scanStatus(fileId), 'clean');
      const file = await staff.get(`/inbox/${transferId}/files/${fileId}`);
      assert.equal(file.statusCode, 200);
      assert.ok(file.rawPayload.equals(clean));
    });
  },
);
