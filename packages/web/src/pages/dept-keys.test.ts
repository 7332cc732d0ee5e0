import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPage } from '../layout.ts';
import type { Locale } from '@amtsbote/contracts';
import { adminUser, ATTACK, ctxFor, structuralProblems } from '../test-support.ts';
import type { DepartmentKeyPageInput } from './dept-keys.ts';
import { departmentKeyPage } from './dept-keys.ts';

const members: DepartmentKeyPageInput['members'] = [
  { name: 'Carla', email: 'carla@musterstadt.example', hasPersonalKey: true, hasShare: true },
  { name: ATTACK, email: 'dora@musterstadt.example', hasPersonalKey: false, hasShare: false },
];
const base: DepartmentKeyPageInput = {
  department: { id: '0f3c6d1e-6a55-4b5e-9a53-2d8b3c0f4a11', name: 'Bürgerservice' },
  key: null,
  members,
  isMember: true,
  backHref: '/inbox/settings',
};
const withKey: DepartmentKeyPageInput = {
  ...base,
  key: { publicKey: `amtb-pub1-${'A'.repeat(44)}`, createdAt: new Date('2026-03-01T10:00:00Z') },
};

describe('department keys page', () => {
  for (const locale of ['de', 'en'] as Locale[]) {
    for (const [name, input] of [
      ['without a key', base],
      ['with a key', withKey],
    ] as const) {
      it(`${locale}, ${name}: well-formed, escaped, with the island and its button`, () => {
        const ctx = ctxFor({ locale, user: adminUser });
        const doc = renderPage(ctx, departmentKeyPage(ctx, input));
        assert.deepEqual(structuralProblems(doc), []);
        assert.ok(!doc.includes(ATTACK), 'names are escaped');
        assert.match(doc, /src="\/assets\/islands\/dept-keys\.js"/);
        assert.match(doc, /data-dept-key-create[^>]*disabled|disabled[^>]*data-dept-key-create/);
        assert.match(doc, new RegExp(`data-replace="${input.key === null ? '0' : '1'}"`));
      });
    }
  }

  it('says who holds a share and who waits, and that nobody can open uploads without key holders', () => {
    const ctx = ctxFor({ user: adminUser });
    const doc = renderPage(ctx, departmentKeyPage(ctx, withKey));
    assert.match(doc, /amtb-pub1-A{44}/);
    assert.match(doc, /wartet auf ein Mitglied mit entsperrtem Schlüssel/);
    const none = renderPage(
      ctx,
      departmentKeyPage(ctx, { ...base, members: members.map((m) => ({ ...m, hasPersonalKey: false })) }),
    );
    assert.match(none, /Noch kein Mitglied hat einen persönlichen Schlüssel/);
    assert.match(none, /noch keinen Schlüssel/);
  });
});
