import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { formBody, str } from '../../../http/schemas.ts';
import type { Account } from '../../accounts/index.ts';
import { getAccount } from '../../accounts/index.ts';
import { accountOf } from '../../auth/index.ts';
import type { ProfileInput } from '../service.ts';
import type { OrganisationAccess } from '../store/organisations.ts';

/** What the organisation routes share: the caller's account, the page header, the profile form. */

/** The signed-in account as stored (the session knows only its id, address and name). */
export async function fullAccount(deps: Pick<AppDeps, 'db'>, request: FastifyRequest): Promise<Account> {
  const a = await getAccount(deps.db, request.tenant.id, accountOf(request).id);
  if (a === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  return a;
}

/** The organisation as the pages' header names it. */
export const summaryOf = (a: OrganisationAccess): { id: string; name: string } => ({
  id: a.organisation.id,
  name: a.organisation.name,
});

export const profileBody = formBody({
  name: str(200),
  legalForm: str(100),
  seat: str(200),
  address: str(500),
  contactEmail: str(254),
  consent: str(10),
});

type ProfileForm = Partial<Record<keyof ProfileInput | 'consent', string>>;

/** The profile fields of a submitted form, trimmed ('' for a field left out). */
export function profileOf(body: ProfileForm): ProfileInput {
  return {
    name: (body.name ?? '').trim(),
    legalForm: (body.legalForm ?? '').trim(),
    seat: (body.seat ?? '').trim(),
    address: (body.address ?? '').trim(),
    contactEmail: (body.contactEmail ?? '').trim(),
  };
}
