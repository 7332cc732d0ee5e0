import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPage } from '../layout.ts';
import type { Locale } from '@amtsbote/contracts';
import { ATTACK, ctxFor, sampleTransfer, structuralProblems } from '../test-support.ts';
import type { Page, PageContext } from '../types.ts';
import {
  accountForgotPage,
  accountHomePage,
  accountLoginPage,
  accountRegisterPage,
  accountResetPage,
  accountTotpPage,
  confirmIdentityPage,
  deleteAccountPage,
  deviceName,
  recoveryCodesPage,
  sessionsPage,
  staffSsoPage,
  totpSetupPage,
} from './accounts.ts';
import {
  organisationCreatePage,
  organisationDeletePage,
  organisationInvitationPage,
  organisationMembersPage,
  organisationNoticePage,
  organisationPage,
  organisationSettingsPage,
  organisationsPage,
  organisationTransferPage,
} from './organisations.ts';

const now = new Date('2026-03-03T13:05:00Z');
const org = { id: '11111111-1111-4111-8111-111111111111', name: `Muster ${ATTACK} GmbH` };
const summary = {
  ...org,
  legalForm: 'GmbH',
  seat: 'Musterstadt',
  address: 'Hauptstraße 1',
  contactEmail: 'post@firma.example',
  generalRelease: false,
  releaseChangedAt: now,
};
const err = (field: string) => [{ field, message: 'Bitte prüfen.' }];

function pages(ctx: PageContext): Record<string, Page> {
  return {
    register: accountRegisterPage(ctx, { errors: err('email'), email: ATTACK }),
    registerCode: accountRegisterPage(ctx, {
      errors: err('code'),
      email: 'a@b.example',
      codeId: '22222222-2222-4222-8222-222222222222',
      next: '/x',
    }),
    login: accountLoginPage(ctx, { errors: err('email'), oidcLabel: 'BundID', next: '/organisations' }),
    totp: accountTotpPage(ctx, { challenge: 'c'.repeat(43), errors: err('code') }),
    forgot: accountForgotPage(ctx, { errors: [], sent: false }),
    forgotSent: accountForgotPage(ctx, { errors: [], sent: true }),
    reset: accountResetPage(ctx, { token: 't'.repeat(43), email: 'a@b.example', errors: err('password') }),
    home: accountHomePage(ctx, {
      email: 'a@b.example',
      displayName: ATTACK,
      createdAt: now,
      hasPassword: true,
      totpEnabled: true,
      recoveryCodesLeft: 9,
      passkeys: [{ id: 'p1', name: ATTACK, createdAt: now, lastUsedAt: null }],
      identities: [{ id: 'i1', issuer: 'https://login.example.org', acr: 'substantial', linkedAt: now }],
      oidcLabel: 'BundID',
      invitationsWaiting: 1,
      errors: err('code'),
      errorForm: 'email-verify',
      emailChange: { email: 'neu@b.example', codeId: '22222222-2222-4222-8222-222222222222' },
    }),
    totpSetup: totpSetupPage(ctx, {
      uri: 'otpauth://totp/Musterstadt:a%40b.example?secret=ABCDEFGH',
      secret: 'ABCD EFGH',
      errors: err('code'),
    }),
    recovery: recoveryCodesPage(ctx, { codes: ['aaaaa-bbbbb-ccccc-ddddd-eeeeee'] }),
    sessions: sessionsPage(ctx, {
      sessions: [
        {
          handle: 'a'.repeat(32),
          userAgent: ATTACK,
          createdAt: now,
          lastSeenAt: now,
          ipPrefix: '192.0.2.0/24',
          method: 'totp',
          current: true,
        },
        {
          handle: 'b'.repeat(32),
          userAgent: null,
          createdAt: now,
          lastSeenAt: now,
          ipPrefix: null,
          method: null,
          current: false,
        },
      ],
    }),
    confirm: confirmIdentityPage(ctx, {
      next: '/account/delete',
      errors: err('password'),
      hasPassword: true,
      hasPasskey: true,
      oidcLabel: 'BundID',
      email: 'a@b.example',
    }),
    deleteAccount: deleteAccountPage(ctx, {
      email: 'a@b.example',
      soleAdminOf: [],
      hasPassword: true,
      confirmed: false,
      errors: err('password'),
    }),
    deleteBlocked: deleteAccountPage(ctx, {
      email: 'a@b.example',
      soleAdminOf: [org],
      hasPassword: true,
      confirmed: false,
      errors: [],
    }),
    sso: staffSsoPage(ctx, {
      settings: {
        issuer: 'https://login.example.org',
        clientId: 'x',
        hasSecret: true,
        label: 'SSO',
        matchBy: 'email',
        localLogin: false,
      },
      redirectUri: 'https://p.example/auth/oidc/callback',
      errors: err('issuer'),
    }),
    orgs: organisationsPage(ctx, {
      organisations: [{ ...org, role: 'admin' }],
      invitations: [{ organisationName: ATTACK, status: 'pending' }],
    }),
    orgCreate: organisationCreatePage(ctx, { values: { name: ATTACK }, errors: err('consent') }),
    orgPage: organisationPage(ctx, {
      org,
      role: 'admin',
      adminCount: 1,
      actionError: 'Nein.',
      items: [
        { kind: 'received', id: 't1', subject: ATTACK, from: 'Sam', at: now },
        {
          kind: 'notice',
          id: 'n1',
          at: now,
          notice: {
            kind: 'member-left',
            data: { email: 'x@y.example', displayName: null, at: now.toISOString(), how: 'left' },
          },
        },
      ],
    }),
    orgTransfer: organisationTransferPage(ctx, {
      org,
      role: 'member',
      transfer: sampleTransfer({ allowReply: true }),
      direction: 'received',
      thread: [{ ...sampleTransfer({ id: 'r1' }), author: 'Ben' }],
      senderName: 'Sam',
      canReply: true,
      uploadEndpoint: '/api/v1/uploads',
    }),
    orgNotice: organisationNoticePage(ctx, {
      org,
      role: 'admin',
      createdAt: now,
      notice: {
        kind: 'membership-report',
        data: {
          from: now.toISOString(),
          until: now.toISOString(),
          entries: [{ account: ATTACK, action: 'granted', at: now.toISOString(), by: null }],
        },
      },
    }),
    orgMembers: organisationMembersPage(ctx, {
      org,
      role: 'admin',
      me: 'a1',
      members: [
        { accountId: 'a1', email: 'a@b.example', displayName: ATTACK, role: 'admin', since: now },
        { accountId: 'a2', email: 'c@b.example', displayName: null, role: 'member', since: now },
      ],
      invitations: [
        {
          id: 'i1',
          email: 'd@b.example',
          status: 'accepted',
          expiresAt: now,
          acceptedByEmail: 'd@b.example',
          acceptedByName: null,
        },
        {
          id: 'i2',
          email: 'e@b.example',
          status: 'pending',
          expiresAt: now,
          acceptedByEmail: null,
          acceptedByName: null,
        },
      ],
      errors: err('email'),
      now,
    }),
    orgSettings: organisationSettingsPage(ctx, { org: summary, role: 'admin', errors: err('name') }),
    orgSettingsMember: organisationSettingsPage(ctx, { org: summary, role: 'member', errors: [] }),
    orgDelete: organisationDeletePage(ctx, {
      org,
      role: 'admin',
      email: 'a@b.example',
      hasPassword: true,
      confirmed: false,
      errors: err('password'),
    }),
    invitation: organisationInvitationPage(ctx, {
      token: 't'.repeat(43),
      organisationName: ATTACK,
      email: 'a@b.example',
      signedInAs: 'x@b.example',
      accepted: false,
      error: 'Falsche Adresse.',
    }),
    invitationAnon: organisationInvitationPage(ctx, {
      token: 't'.repeat(43),
      organisationName: 'Org',
      email: 'a@b.example',
      signedInAs: undefined,
      accepted: false,
    }),
  };
}

describe('account and organisation pages', () => {
  for (const locale of ['de', 'en'] as Locale[]) {
    it(`render well-formed, escaped and with working references (${locale})`, () => {
      const ctx = ctxFor({ locale, account: { displayName: ATTACK, email: 'a@b.example' } });
      for (const [name, page] of Object.entries(pages(ctx))) {
        const doc = renderPage(ctx, page);
        assert.deepEqual(structuralProblems(doc), [], name);
        assert.ok(!doc.includes(ATTACK), `${name} escapes data`);
        assert.equal((doc.match(/<h1\b/g) ?? []).length, 1, `${name} has one h1`);
        assert.doesNotMatch(doc, /\sstyle=|<script>/, `${name}: no inline style or script`);
      }
    });
  }
  it('names devices roughly', () => {
    assert.equal(
      deviceName(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      ),
      'Chrome · Windows',
    );
    assert.equal(
      deviceName('Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0'),
      'Firefox · Android',
    );
    assert.equal(deviceName(null), undefined);
  });
});
