import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import type { Guest } from '../../postbox/index.ts';
import { createInboundDraft, discardDraft } from '../../postbox/index.ts';
import type { Draft } from '../../transfers/index.ts';
import type { InboundSession } from '../sessions.ts';
import { setSessionDraft } from '../store.ts';
import { resolveTarget } from '../target.ts';
import { deliverOnce } from './deliver.ts';

function guestOf(s: InboundSession): Guest {
  return {
    email: s.email,
    name: `${s.contact.firstName} ${s.contact.lastName}`.trim(),
    phone: s.contact.phone === '' ? null : s.contact.phone,
    locale: s.locale,
    verified: true,
    addressedTo: s.addressedTo,
  };
}

/**
 * Without JavaScript: the message alone (files need the upload island), delivered at once.
 * @throws {AppError} ERR_DROPOFF_EXPIRED when the department or link is gone
 */
export async function sendMessageOnly(
  deps: AppDeps,
  request: FastifyRequest,
  s: InboundSession,
  values: { subject: string; reference: string; message: string; expiresInDays: string; notify: string },
): Promise<void> {
  const resolved = await resolveTarget(deps, request.tenant, s, { password: false });
  if (resolved === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
  const days = Number(values.expiresInDays);
  const draft = await createInboundDraft(
    deps,
    request.tenant,
    resolved.target,
    guestOf(s),
    {
      subject: values.subject,
      reference: values.reference,
      message: values.message,
      files: [],
      expiresInDays: Number.isInteger(days) && days > 0 ? days : undefined,
      notify: values.notify !== '',
    },
    false,
  );
  await setSessionDraft(deps.db, request.tenant.id, s.id, draft.id);
  await deliverOnce(deps, request, s.id, resolved.target, draft.id, undefined);
}

export interface IslandDraftInput {
  subject: string;
  reference?: string;
  message?: string;
  expiresInDays?: number;
  notify?: boolean;
  password?: boolean;
  files: readonly { name: string; size: number; type?: string }[];
}

/**
 * The island's draft: the files it is about to upload, the message (encrypted in the browser
 * for a password or a level-4 link). A draft given up on before (new files chosen) goes at once.
 * @throws {AppError} ERR_DROPOFF_EXPIRED (delivered already, target gone, password not allowed)
 */
export async function prepareDraft(
  deps: AppDeps,
  request: FastifyRequest,
  s: InboundSession,
  body: IslandDraftInput,
): Promise<Draft> {
  if (s.transferId !== null) throw new AppError('ERR_DROPOFF_EXPIRED');
  const resolved = await resolveTarget(deps, request.tenant, s, { password: body.password === true });
  if (resolved === undefined || (body.password === true && !resolved.passwordAllowed))
    throw new AppError('ERR_DROPOFF_EXPIRED');
  const draft = await createInboundDraft(
    deps,
    request.tenant,
    resolved.target,
    guestOf(s),
    {
      subject: body.subject.trim(),
      reference: (body.reference ?? '').trim(),
      message: body.message ?? '',
      files: body.files.map((f) => ({ name: f.name, size: f.size, type: f.type ?? '' })),
      expiresInDays: body.expiresInDays,
      notify: body.notify ?? true,
    },
    resolved.e2eMessage,
  );
  await setSessionDraft(deps.db, request.tenant.id, s.id, draft.id);
  if (s.draftId !== null && s.draftId !== draft.id) await discardDraft(deps, request.tenant.id, s.draftId);
  return draft;
}
