import type { Locale } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import { issueCode, verifyCode } from '../../auth/index.ts';
import { normaliseEmail } from '../../staff/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { tenantBaseUrl } from '../../tenants/index.ts';
import { alreadyRegisteredMail, registrationCodeMail } from '../mails.ts';
import type { Account } from '../service.ts';
import { accountForVerifiedEmail, findAccountByEmail, hasFirstFactor } from '../service.ts';
import { accountMailLimits, takeMailAllowance } from '../signin.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer'>;

/**
 * The first step of registering: mails a code to the address. An address whose account already
 * has a password or passkey gets a "sign in instead" mail, and the answer looks the same (a
 * fresh code id), so the form tells nobody which addresses have accounts.
 * @returns the code id the verification form carries
 * @throws {AppError} ERR_RATE_LIMITED when the address or network asked for too many codes
 */
export async function requestRegistrationCode(
  deps: Deps & Pick<AppDeps, 'config'>,
  input: { tenant: Pick<Tenant, 'id' | 'name' | 'hostnames'>; email: string; ip: string; locale: Locale },
): Promise<string> {
  const { tenant, email } = input;
  const existing = await findAccountByEmail(deps.db, tenant.id, email);
  if (existing !== undefined && (await hasFirstFactor(deps.db, tenant.id, existing.id))) {
    // The same page as for a new address; the mail tells the holder to sign in instead.
    const codeId = deps.secrets.id();
    if (await takeMailAllowance(deps, accountMailLimits(tenant.id, email, input.ip, 'register'))) {
      await deps.mailer.send(
        alreadyRegisteredMail(normaliseEmail(email), input.locale, {
          tenantName: tenant.name,
          loginLink: `${tenantBaseUrl(tenant, deps.config)}/account/login`,
        }),
      );
    }
    return codeId;
  }
  const issued = await issueCode(deps, {
    tenantId: tenant.id,
    purpose: 'account-register',
    email,
    subjectId: null,
    ip: input.ip,
  });
  await deps.mailer.send(
    registrationCodeMail(normaliseEmail(email), input.locale, { code: issued.code, tenantName: tenant.name }),
  );
  return issued.id;
}

/**
 * The second step: the mailed code proves the address, and the account exists from now on
 * (created on first use, audited). The caller then signs the browser in.
 * @throws {AppError} ERR_CODE_INVALID for a wrong code, and for an address whose account has a
 *   password or passkey of its own (a code never signs in to it)
 */
export async function registerAccount(
  deps: Deps,
  input: {
    tenantId: string;
    codeId: string;
    code: string;
    displayName: string;
    locale: Locale;
    ipPrefix: string | undefined;
  },
): Promise<Account> {
  if (!/^[0-9a-f-]{36}$/i.test(input.codeId)) throw new AppError('ERR_CODE_INVALID');
  const verified = await verifyCode(deps, {
    tenantId: input.tenantId,
    id: input.codeId,
    purpose: 'account-register',
    code: input.code,
  });
  return deps.db.transaction(async (tx) => {
    const { account, created } = await accountForVerifiedEmail(
      tx,
      deps,
      input.tenantId,
      verified.email,
      input.locale,
      input.displayName,
    );
    // A code never signs in to an account that has a password or passkey of its own.
    if (!created && (await hasFirstFactor(tx, input.tenantId, account.id)))
      throw new AppError('ERR_CODE_INVALID');
    if (created) {
      await recordAudit(tx, {
        tenantId: input.tenantId,
        at: deps.clock.now(),
        actor: { kind: 'account', id: account.id },
        action: 'account.created',
        subject: { kind: 'account', id: account.id },
        ipPrefix: input.ipPrefix,
        details: { via: 'register' },
      });
    }
    return account;
  });
}
