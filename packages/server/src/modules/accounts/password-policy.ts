import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../../errors.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/index.ts';

// The common-password list of zxcvbn-ts (@zxcvbn-ts/language-common, MIT, maintained with the
// zxcvbn-ts estimator): ~49,000 passwords seen most often in breaches. NIST SP 800-63B asks for
// exactly this check instead of composition rules ("one digit, one special character").
const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/**
 * Whether a password is too guessable despite its length: on the list, one short piece repeated
 * ("passwortpasswort", "123412341234"), or the account's own address.
 */
export function isCommonPassword(password: string, context: { email?: string | undefined } = {}): boolean {
  const p = password.toLowerCase();
  if (common.has(p)) return true;
  for (let unit = 1; unit <= 8; unit++) {
    if (p.length % unit === 0 && p.length / unit >= 2 && p.slice(0, unit).repeat(p.length / unit) === p)
      return true;
  }
  const email = context.email?.toLowerCase();
  if (email !== undefined && email !== '') {
    const local = email.split('@')[0] ?? '';
    if (p === email || (local.length >= 4 && p.replace(/[^a-z0-9]/g, '') === local.replace(/[^a-z0-9]/g, '')))
      return true;
  }
  return false;
}

/**
 * The rules for a service account's new password: 12 to 256 characters, the same twice, not a
 * common one. No composition rules.
 * @throws {AppError} ERR_WEAK_PASSWORD, ERR_PASSWORD_MISMATCH, ERR_COMMON_PASSWORD (field-level).
 */
export function checkNewPassword(
  password: string,
  confirm: string,
  context: { email?: string | undefined } = {},
): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new AppError('ERR_WEAK_PASSWORD', { fields: [{ field: 'password', code: 'ERR_WEAK_PASSWORD' }] });
  }
  if (password !== confirm) {
    throw new AppError('ERR_PASSWORD_MISMATCH', {
      fields: [{ field: 'passwordConfirm', code: 'ERR_PASSWORD_MISMATCH' }],
    });
  }
  if (isCommonPassword(password, context)) {
    throw new AppError('ERR_COMMON_PASSWORD', {
      fields: [{ field: 'password', code: 'ERR_COMMON_PASSWORD' }],
    });
  }
}
