import type { Locale } from '@amtsbote/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { issueCode, verifyCode } from '../../auth/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { tenantBaseUrl } from '../../tenants/index.ts';
import { emailChangeCodeMail, emailChangedMail } from '../mails.ts';
import { changeEmail } from '../service.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer'>;

/**
 * The first step of changing the address: a code to the new one.
 * @returns the code id the verification form carries
 * @throws {AppError} ERR_RATE_LIMITED when the address or network asked for too many codes
 */
export async function requestEmailChange(
  deps: Deps,
  input: {
    tenant: { id: string; name: string };
    accountId: string;
    email: string;
    ip: string;
    locale: Locale;
  },
): Promise<string> {
  const issued = await issueCode(deps, {
    tenantId: input.tenant.id,
    purpose: 'account-email-change',
    email: input.email,
    subjectId: input.accountId,
    ip: input.ip,
  });
  await deps.mailer.send(
    emailChangeCodeMail(input.email, input.locale, { code: issued.code, tenantName: input.tenant.name }),
  );
  return issued.id;
}

/**
 * The second step: the code proves the new address, the account moves to it, and the old
 * address is told (a failed notice is logged, not fatal: the change has happened).
 * @throws {AppError} ERR_CODE_INVALID (also for a code issued to another account), ERR_EMAIL_TAKEN
 */
export async function confirmEmailChange(
  deps: Deps & Pick<AppDeps, 'config'>,
  input: {
    tenant: Pick<Tenant, 'id' | 'name' | 'hostnames'>;
    account: { id: string; email: string };
    codeId: string;
    code: string;
    locale: Locale;
    ipPrefix: string | undefined;
    log: Pick<FastifyBaseLogger, 'warn'>;
  },
): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(input.codeId)) throw new AppError('ERR_CODE_INVALID');
  const verified = await verifyCode(deps, {
    tenantId: input.tenant.id,
    id: input.codeId,
    purpose: 'account-email-change',
    code: input.code,
  });
  if (verified.subjectId !== input.account.id) throw new AppError('ERR_CODE_INVALID');
  await changeEmail(deps, {
    tenantId: input.tenant.id,
    accountId: input.account.id,
    email: verified.email,
    ipPrefix: input.ipPrefix,
  });
  await deps.mailer
    .send(
      emailChangedMail(input.account.email, input.locale, {
        tenantName: input.tenant.name,
        newEmail: verified.email,
        link: tenantBaseUrl(input.tenant, deps.config),
      }),
    )
    .catch((err: unknown) => {
      input.log.warn({ err }, 'could not tell the old address about the change');
    });
}
