import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FileTypeId } from '@amtsbote/contracts';
import { isFileTypeId } from '@amtsbote/contracts';
import type { FieldError } from '@amtsbote/web';
import { messages, uploadLinkFormPage } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { pageContext } from '../../http/context.ts';
import { formString, looksLikeEmail, schemaFieldErrors } from '../../http/forms.ts';
import { formBody, line, str } from '../../http/schemas.ts';
import { listInboundDepartments, memberDepartmentIds } from '../postbox/index.ts';
import { currentDepartmentKey } from '../postbox/index.ts';
import type { InboundPolicy } from '../postbox/index.ts';
import { inboundPolicy, typesFor } from '../postbox/index.ts';
import type { Staff } from '../staff/index.ts';
import { MAX_LINK_DAYS } from './service.ts';
import type { UploadLinkInput } from './services/create-link.ts';

const MiB = 1024 * 1024;
const LEVELS = [1, 2, 3, 4] as const;

/** The caseworker's form for a new link; every field is optional to the schema, checked below. */
export const linkFormBody = formBody({
  departmentId: str(36),
  email: str(254),
  title: line(200),
  note: str(4000),
  reference: str(100),
  level: { type: 'string', enum: ['1', '2', '3', '4'] },
  types: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  maxSizeMb: { type: 'string', pattern: '^[0-9]{0,7}$' },
  maxUses: { type: 'string', pattern: '^[0-9]{0,4}$' },
  validDays: { type: 'string', pattern: '^[0-9]{0,3}$' },
  sendMail: { type: 'string' },
});

export type LinkFormValues = Record<string, string | string[]>;

/** The kinds of file ticked: one box sends a string, several a list; only strings count. */
function tickedTypes(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || !('types' in body)) return [];
  const v = body.types;
  const list: unknown[] = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.filter((x): x is string => typeof x === 'string');
}

/**
 * Reads the form as the person filled it in (whatever the schema said of it, so the page can
 * show it again) and checks it field by field, in the person's words.
 * @returns the values to show again, the errors, and — without errors — the use case's input.
 */
export function readLinkForm(
  request: FastifyRequest,
  policy: InboundPolicy,
): { values: LinkFormValues; errors: FieldError[]; input: Omit<UploadLinkInput, 'locale'> } {
  const v = (n: string) => formString(request.body, n);
  const rawTypes = tickedTypes(request.body);
  const types: FileTypeId[] = rawTypes.filter(isFileTypeId);
  const values = {
    departmentId: v('departmentId'),
    email: v('email'),
    title: v('title'),
    note: v('note'),
    reference: v('reference'),
    level: v('level') || '1',
    types: rawTypes,
    maxSizeMb: v('maxSizeMb'),
    maxUses: v('maxUses'),
    validDays: v('validDays'),
    sendMail: v('sendMail'),
  };
  const t = messages(request.locale).inbound.linkForm.errors;
  const errors: FieldError[] = [];
  // A level the schema refused counts as level 1 here: its error is already listed.
  const level = LEVELS.find((l) => String(l) === values.level) ?? 1;
  // A value the schema refused (e.g. a level that does not exist): shown at its field.
  for (const e of schemaFieldErrors(request, {}))
    errors.push({ field: e.field === 'body' ? 'title' : e.field, message: e.message });
  if (values.title === '') errors.push({ field: 'title', message: t.title });
  // A longer address the schema refused already (above).
  if (values.email !== '' && values.email.length <= 254 && !looksLikeEmail(values.email))
    errors.push({ field: 'email', message: t.email });
  if (level >= 2 && values.email === '') errors.push({ field: 'email', message: t.emailNeeded });
  if (types.length === 0) errors.push({ field: 'types', message: t.types });
  const maxMb = values.maxSizeMb === '' ? Math.floor(policy.maxFileSize / MiB) : Number(values.maxSizeMb);
  if (maxMb < 1 || maxMb * MiB > policy.maxFileSize)
    errors.push({ field: 'maxSizeMb', message: t.maxSize(Math.floor(policy.maxFileSize / MiB)) });
  const days = values.validDays === '' ? 14 : Number(values.validDays);
  if (days < 1 || days > MAX_LINK_DAYS)
    errors.push({ field: 'validDays', message: t.validDays(MAX_LINK_DAYS) });
  const uses = values.maxUses === '' ? null : Number(values.maxUses);
  if (uses !== null && uses < 1) errors.push({ field: 'maxUses', message: t.maxUses });
  return {
    values,
    errors,
    input: {
      departmentId: values.departmentId,
      email: values.email === '' ? null : values.email,
      title: values.title,
      note: values.note,
      reference: values.reference,
      level,
      allowedTypes: types,
      maxFileSize: maxMb * MiB,
      maxUses: uses,
      validDays: days,
      sendMail: values.sendMail === 'on',
    },
  };
}

/** The form page: the caseworker's departments, with the types each takes and whether it has a key. */
export async function linkFormPage(
  deps: Pick<AppDeps, 'db'>,
  request: FastifyRequest,
  reply: FastifyReply,
  staff: Staff,
  state: { values: LinkFormValues; errors: FieldError[]; status: number },
): Promise<FastifyReply> {
  const policy = inboundPolicy(request.tenant);
  const mine = await memberDepartmentIds(deps.db, request.tenant.id, staff.id);
  const departments = (await listInboundDepartments(deps.db, request.tenant.id)).filter((d) =>
    mine.includes(d.id),
  );
  const withKeys = await Promise.all(
    departments.map(async (d) => ({
      id: d.id,
      name: d.name,
      types: typesFor(policy, d.allowedTypes),
      hasKey: (await currentDepartmentKey(deps.db, request.tenant.id, d.id)) !== undefined,
    })),
  );
  return reply.page({
    ...uploadLinkFormPage(pageContext(request, reply), {
      departments: withKeys,
      policy,
      maxDays: MAX_LINK_DAYS,
      values: state.values,
      errors: state.errors,
    }),
    status: state.status,
  });
}
