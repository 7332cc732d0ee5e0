import type { FastifyRequest } from 'fastify';
import type { Locale } from '@amtsbote/contracts';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import type { Tenant } from '../tenants/index.ts';
import { tenantBaseUrl } from '../tenants/index.ts';
import { postboxNotificationMail } from './mails.ts';
import { isMember } from './policy.ts';
import { organisationContact, touchOrganisation } from './store/organisations.ts';

/**
 * What the transfers module needs of an organisation's postbox while it delivers: telling the
 * organisation that something arrived, and letting its members upload a reply's files. The
 * postbox itself (listing, messages, replies) lives in modules/postbox.
 */

/**
 * Inside sendDraft: tells the organisation's contact address that a message arrived (never the
 * content) and returns the postbox address for the sender's API answer.
 */
export async function notifyOrganisation(
  tx: Queryable,
  deps: Pick<AppDeps, 'mailer' | 'config'>,
  tenant: Tenant,
  organisationId: string,
  locale: Locale,
): Promise<string> {
  const org = await organisationContact(tx, tenant.id, organisationId);
  const link = `${tenantBaseUrl(tenant, deps.config)}/organisations/${organisationId}`;
  if (org !== undefined) {
    await touchOrganisation(tx, tenant.id, organisationId);
    await deps.mailer.send(
      postboxNotificationMail(org.contactEmail, locale, {
        organisation: org.name,
        tenantName: tenant.name,
        link,
        what: 'message',
      }),
    );
  }
  return link;
}

/** For the upload endpoint: may the signed-in account write to this reply draft of its organisation? */
export async function organisationMemberMayUpload(
  deps: Pick<AppDeps, 'db'>,
  request: FastifyRequest,
  senderRecipientId: string,
): Promise<boolean> {
  const account = request.session?.account;
  if (account === undefined) return false;
  const row = await one<{ organisation_id: string | null }>(
    deps.db,
    `-- reads transfer_recipients (owner: transfers): which organisation a reply draft speaks for; transfers calls this
     SELECT organisation_id FROM transfer_recipients WHERE tenant_id = $1 AND id = $2`,
    [request.tenant.id, senderRecipientId],
  );
  return (
    row?.organisation_id != null &&
    (await isMember(deps.db, request.tenant.id, row.organisation_id, account.id))
  );
}
