import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { inboundCodePage, messages } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { formString, looksLikeEmail } from '../../http/forms.ts';
import { str } from '../../http/schemas.ts';
import { listInboundDepartments, memberDepartmentIds } from '../postbox/index.ts';
import { activeStaffDomains, findStaffByEmail, normaliseEmail } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import type { UploadLink } from '../uploadlinks/index.ts';
import { startInboundSession } from './services/start-session.ts';
import { maskAddress } from './sessions.ts';
import { stampOk } from './stamp.ts';

export type ContactTarget =
  | { kind: 'department'; id: string }
  | { kind: 'direct' }
  | { kind: 'upload'; link: UploadLink; token: string };

/** What the contact form sends for an upload link (the link fixes where it goes). */
export const linkContactFields = {
  firstName: str(100),
  lastName: str(100),
  phone: str(40),
  email: str(254),
  website: str(500),
  started: str(200),
};

/** What the drop-off contact form sends: also a department, or a caseworker's address. */
export const dropoffContactFields = {
  ...linkContactFields,
  caseworker: str(254),
  departmentId: str(36),
};

/** Where addressed-directly messages go when the address is not (or no longer) a caseworker's. */
export async function fallbackDepartment(deps: AppDeps, tenant: Tenant): Promise<string | undefined> {
  const configured = (tenant.settings as { inbound?: { directFallbackDepartmentId?: unknown } }).inbound
    ?.directFallbackDepartmentId;
  const all = await listInboundDepartments(deps.db, tenant.id);
  return (
    (typeof configured === 'string' ? all.find((d) => d.id === configured) : undefined)?.id ??
    all.find((d) => d.dropoffEnabled)?.id
  );
}

type Render = (state: {
  values: Record<string, string>;
  errors: FieldError[];
  status: number;
}) => Promise<FastifyReply>;

/**
 * The first step, shared by drop-off and upload links: contact data (name, optional phone,
 * e-mail), a honeypot and the time-to-submit check; then the code goes out and the code page
 * follows. A filled honeypot gets the same code page and nothing else.
 */
export async function handleContact(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  target: ContactTarget,
  render: Render,
): Promise<FastifyReply> {
  const v = (n: string) => formString(request.body, n);
  const values: Record<string, string> = {
    firstName: v('firstName'),
    lastName: v('lastName'),
    phone: v('phone'),
    email: v('email'),
    caseworker: v('caseworker'),
  };
  if (target.kind === 'upload' && target.link.email !== null) values.email = target.link.email;
  const t = messages(request.locale).inbound.contact.errors;
  if (v('website') !== '') {
    // A bot filled the invisible field: it sees what a person would see, and nothing happens.
    return reply.page(
      inboundCodePage(pageContext(request, reply), {
        sessionId: deps.secrets.id(),
        maskedEmail: maskAddress(values.email ?? ''),
        error: undefined,
        resent: false,
      }),
    );
  }
  const errors: FieldError[] = [];
  if (!stampOk(deps, v('started')))
    errors.push({ field: 'firstName', message: errorMessage('ERR_FORM_TOO_FAST', request.locale) });
  if (values.firstName === '') errors.push({ field: 'firstName', message: t.firstName });
  if (values.lastName === '') errors.push({ field: 'lastName', message: t.lastName });
  if (values.phone !== '' && !/^[+0-9 ()/-]{4,40}$/.test(values.phone ?? ''))
    errors.push({ field: 'phone', message: t.phone });
  if (!looksLikeEmail(values.email ?? '')) errors.push({ field: 'email', message: t.email });
  let departmentId: string | null = null;
  let toStaffId: string | null = null;
  let addressedTo: string | null = null;
  if (target.kind === 'direct') {
    const address = normaliseEmail(values.caseworker ?? '');
    const domains = await activeStaffDomains(deps.db, request.tenant.id);
    if (!looksLikeEmail(address)) errors.push({ field: 'caseworker', message: t.caseworker });
    else if (!domains.includes(address.split('@')[1] ?? '')) {
      errors.push({
        field: 'caseworker',
        message: t.caseworkerDomain(request.tenant.name, domains.map((d) => `@${d}`).join(', ')),
      });
    } else {
      // Whether the address exists decides only where it lands, never what the sender sees.
      addressedTo = address;
      const staff = await findStaffByEmail(deps.db, request.tenant.id, address);
      const active = staff?.status === 'active' ? staff : undefined;
      toStaffId = active?.id ?? null;
      const own =
        active === undefined ? [] : await memberDepartmentIds(deps.db, request.tenant.id, active.id);
      departmentId = own[0] ?? (await fallbackDepartment(deps, request.tenant)) ?? null;
      if (departmentId === null) throw new AppError('ERR_NOT_FOUND');
    }
  } else if (target.kind === 'department') {
    departmentId = target.id;
  } else {
    departmentId = target.link.departmentId;
  }
  if (errors.length > 0) return await render({ values, errors, status: 400 });
  let next: string;
  try {
    next = await startInboundSession(
      deps,
      request,
      reply,
      {
        departmentId,
        toStaffId,
        addressedTo,
        uploadLinkId: target.kind === 'upload' ? target.link.id : null,
        needsCode: target.kind !== 'upload' || target.link.level >= 2,
      },
      {
        email: values.email ?? '',
        contact: {
          firstName: values.firstName ?? '',
          lastName: values.lastName ?? '',
          phone: values.phone ?? '',
        },
      },
    );
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'ERR_RATE_LIMITED') throw err;
    return await render({
      values,
      errors: [{ field: 'email', message: errorMessage('ERR_RATE_LIMITED', request.locale) }],
      status: 429,
    });
  }
  return reply.redirect(next, 303);
}
