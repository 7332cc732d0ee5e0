import type { Locale } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { accountForVerifiedEmail, hasFirstFactor } from '../../accounts/index.ts';
import { recordAudit } from '../../audit/index.ts';
import { issueCode, verifyCode } from '../../auth/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { verificationCodeMail } from '../mails.ts';
import type { RecipientAccess } from '../recipients.ts';
import { bindRecipientAccount } from '../store/recipients.ts';

/**
 * Level 2, step 1: a fresh code to the recipient's address, mailed now (not in the first mail).
 * @returns the code's id, for the form that takes the code.
 * @throws {AppError} ERR_RATE_LIMITED and the like from issuing the code or mailing it.
 */
export async function mailRecipientCode(
  deps: AppDeps,
  tenant: Tenant,
  access: RecipientAccess,
  request: { locale: Locale; ip: string },
): Promise<string> {
  const { id, code } = await issueCode(deps, {
    tenantId: tenant.id,
    purpose: 'transfer-recipient',
    email: access.email,
    subjectId: access.recipientId,
    ip: request.ip,
  });
  await deps.mailer.send(
    verificationCodeMail(access.email, request.locale, { code, tenantName: tenant.name }),
  );
  return id;
}

/**
 * Level 2, step 2: the code proves the address; the account is created (or found) and the link
 * bound to it.
 * @returns the account, and whether it must sign in first: an account with a password or
 *   passkey of its own is not opened by a mailed code.
 * @throws {AppError} ERR_CODE_INVALID
 */
export async function verifyRecipientAddress(
  deps: AppDeps,
  tenant: Tenant,
  access: RecipientAccess,
  input: { codeId: string; code: string; locale: Locale; ipPrefix: string | undefined },
): Promise<{ accountId: string; needsSignIn: boolean }> {
  const verified = await verifyCode(deps, {
    tenantId: tenant.id,
    id: input.codeId,
    purpose: 'transfer-recipient',
    code: input.code,
  });
  if (verified.subjectId !== access.recipientId) throw new AppError('ERR_CODE_INVALID');
  return deps.db.transaction(async (tx) => {
    const { account, created } = await accountForVerifiedEmail(
      tx,
      deps,
      tenant.id,
      verified.email,
      input.locale,
    );
    await bindRecipientAccount(tx, tenant.id, access.recipientId, account.id);
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: deps.clock.now(),
      actor: { kind: 'account', id: account.id },
      action: created ? 'account.created' : 'account.login',
      subject: { kind: 'account', id: account.id },
      ipPrefix: input.ipPrefix,
    });
    return {
      accountId: account.id,
      needsSignIn: !created && (await hasFirstFactor(tx, tenant.id, account.id)),
    };
  });
}
