import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApiToken } from '../auth/index.ts';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, seedTenant } from '../../testing/index.ts';

// A NUL or an escape sequence in a subject or file name would travel into mails, logs, ZIP
// entries and terminals: the schema refuses it before any use case runs.

let t: TestApp;
let token: string;

before(async () => {
  t = await createTestApp();
  const { tenant, admin } = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt' });
  ({ token } = await createApiToken(t.deps.db, t.deps, { tenantId: tenant.id, staffId: admin.id }));
});
after(() => t.close());

function draft(subject: string, fileName: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/transfers',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      level: 2,
      recipients: ['buerger@example.org'],
      subject,
      files: [{ name: fileName, size: 3 }],
    },
  });
}

interface ErrorJson {
  error: { code: string; fields?: { field: string }[] };
}

describe('control characters in subjects and file names', () => {
  for (const [label, subject] of [
    ['NUL', 'Antrag\u0000'],
    ['an escape sequence', 'Antrag \u001b[2J'],
    ['a line break', 'Antrag\r\nBcc: x@example.org'],
  ] as const) {
    it(`refuses a subject with ${label} (ERR_VALIDATION)`, async () => {
      const res = await draft(subject, 'antrag.pdf');
      assert.equal(res.statusCode, 400, res.body);
      const body = res.json<ErrorJson>();
      assert.equal(body.error.code, 'ERR_VALIDATION');
      assert.ok(
        body.error.fields?.some((f) => f.field === 'subject'),
        res.body,
      );
    });
  }

  it('refuses a file name with NUL (ERR_VALIDATION)', async () => {
    const res = await draft('Antrag', 'antrag.pdf\u0000.exe');
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json<ErrorJson>().error.code, 'ERR_VALIDATION');
  });

  it('still takes ordinary text, umlauts and a tab', async () => {
    const res = await draft('Antrag auf Ärger\tmit Übermut 😀', 'Bescheid März.pdf');
    assert.equal(res.statusCode, 201, res.body);
  });
});
