import type { AppDeps } from '../../../deps.ts';
import type { Staff } from '../../staff/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import type { Draft } from '../../transfers/index.ts';
import { sendDraft } from '../../transfers/index.ts';
import { answerToSend, createAnswerDraft } from '../password-answer.ts';
import type { AnswerBody } from '../schemas.ts';
import { markAnswered, openInboxItem } from '../items.ts';

/**
 * Starts an answer to an item the staff member may see.
 * @throws {AppError} ERR_NOT_FOUND, and those of createAnswerDraft
 */
export async function startAnswer(
  deps: AppDeps,
  tenant: Tenant,
  staff: Staff,
  itemId: string,
  body: AnswerBody,
): Promise<Draft> {
  const item = await openInboxItem(deps, tenant, staff, itemId, { record: false });
  return createAnswerDraft(deps, tenant, staff, item, body);
}

/**
 * Sends an answer draft of an item the staff member may see (only an answer to this item counts
 * as its answer), with the P envelope of an answer to the same password; the item is answered.
 * @throws {AppError} ERR_NOT_FOUND, ERR_VALIDATION (field `envelope`), and those of sendDraft
 */
export async function sendAnswer(
  deps: AppDeps,
  tenant: Tenant,
  staff: Staff,
  itemId: string,
  draftId: string,
  envelope: string | undefined,
  ipPrefix: string | undefined,
): Promise<{ id: string }> {
  await openInboxItem(deps, tenant, staff, itemId, { record: false });
  const { passwordEnvelope } = await answerToSend(deps, tenant.id, itemId, draftId, envelope);
  const sent = await sendDraft(deps, tenant, { kind: 'staff', staff }, draftId, ipPrefix, {
    passwordEnvelope,
  });
  await markAnswered(deps.db, tenant.id, itemId, deps.clock.now());
  return { id: sent.id };
}
