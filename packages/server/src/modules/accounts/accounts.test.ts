import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../errors.ts';
import { isLoopbackHttp } from '../auth/index.ts';
import { isP256Envelope, startOfYearBerlin } from '../organisations/index.ts';
import { cspAllowingForms } from '../../http/security-headers.ts';
import { checkNewPassword, isCommonPassword } from './password-policy.ts';
import { newRecoveryCode, normaliseRecoveryCode } from './totp-codes.ts';

describe('password policy: length and a common-password list, no composition rules', () => {
  it('refuses listed, repeated and self-describing passwords', () => {
    for (const p of ['123qweasdzxc', 'QWERTY123456', 'passwortpasswort', '123412341234', 'aaaaaaaaaaaaaaa'])
      assert.ok(isCommonPassword(p), p);
    assert.ok(isCommonPassword('erika.muster@example.org', { email: 'erika.muster@example.org' }));
    assert.ok(isCommonPassword('erikamuster', { email: 'erika.muster@example.org' }));
  });
  it('accepts a long sentence without digits or symbols', () => {
    assert.equal(isCommonPassword('kastanien blühen im mai'), false);
    assert.doesNotThrow(() => checkNewPassword('kastanien blühen im mai', 'kastanien blühen im mai'));
  });
  it('names the field and the code', () => {
    const codeOf = (f: () => void) => {
      try {
        f();
      } catch (err) {
        return err instanceof AppError ? `${err.code}:${err.fields[0]?.field ?? ''}` : 'other';
      }
      return 'none';
    };
    assert.equal(
      codeOf(() => checkNewPassword('kurz', 'kurz')),
      'ERR_WEAK_PASSWORD:password',
    );
    assert.equal(
      codeOf(() => checkNewPassword('lang genug aber anders', 'lang genug, aber anders')),
      'ERR_PASSWORD_MISMATCH:passwordConfirm',
    );
    assert.equal(
      codeOf(() => checkNewPassword('qazwsxedcrfv', 'qazwsxedcrfv')),
      'ERR_COMMON_PASSWORD:password',
    );
  });
});

describe('recovery codes', () => {
  it('carry 130 random bits in 26 symbols without look-alikes, typed loosely', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newRecoveryCode()));
    assert.equal(codes.size, 200);
    for (const c of codes) {
      assert.match(c, /^[a-z1-9]{5}-[a-z1-9]{5}-[a-z1-9]{5}-[a-z1-9]{5}-[a-z1-9]{6}$/);
      assert.doesNotMatch(c, /[0ilo]/);
      assert.equal(normaliseRecoveryCode(` ${c.toUpperCase().replace(/-/g, ' ')} `), c.replace(/-/g, ''));
    }
  });
});

describe('helpers', () => {
  it('the yearly report covers everything before 1 January, Berlin time', () => {
    assert.equal(
      startOfYearBerlin(new Date('2027-01-01T00:30:00+01:00')).toISOString(),
      '2026-12-31T23:00:00.000Z',
    );
    assert.equal(
      startOfYearBerlin(new Date('2026-12-31T22:59:00Z')).toISOString(),
      '2025-12-31T23:00:00.000Z',
    );
  });
  it('accepts only type-E envelopes as wrapped organisation keys', () => {
    const env = Buffer.concat([Buffer.from('AMTBE\x01', 'latin1'), Buffer.alloc(81)]);
    assert.ok(isP256Envelope(env));
    assert.equal(isP256Envelope(env.subarray(1)), false);
    assert.equal(
      isP256Envelope(Buffer.concat([Buffer.from('AMTBP\x01', 'latin1'), Buffer.alloc(81)])),
      false,
    );
  });
  it('allows plain http only for a provider on this machine', () => {
    assert.ok(isLoopbackHttp('http://127.0.0.1:8080'));
    assert.ok(isLoopbackHttp('http://localhost/realms/x'));
    assert.equal(isLoopbackHttp('http://login.example.org'), false);
    assert.equal(isLoopbackHttp('https://localhost'), false);
  });
  it('widens form-action by exactly the identity providers', () => {
    const csp = cspAllowingForms(['https://login.example.org', "https://evil.example'; script-src *"]);
    assert.match(csp, /form-action 'self' https:\/\/login\.example\.org;/);
    assert.doesNotMatch(csp, /evil/);
    assert.match(csp, /script-src 'self';/);
  });
});
