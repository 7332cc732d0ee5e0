import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { dropoffIndexPage, inboundCodePage, inboundContactPage } from '@amtsbote/web';
import { MINUTE } from '../../adapters/clock.ts';
import { equalBytes } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { csrfField, formString } from '../../http/forms.ts';
import { getInboundDepartment, listInboundDepartments, memberDepartmentIds } from '../postbox/departments.ts';
import { findStaffByEmail, normaliseEmail } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';
import type { UploadLink } from '../uploadlinks/service.ts';
import { inboundErrorHandler } from '../postbox/errors.ts';
import { browserSession, inboundFlowRoutes, sendSessionCode } from './flow.ts';
import { maskAddress, startSession } from './sessions.ts';

/** A person needs longer than this to fill in the contact form; a bot does not. */
export const MIN_FILL_MS = 3_000;
const MAX_FILL_MS = 2 * 60 * MINUTE;

/** `<time>.<mac>`: when the form was shown, signed so it cannot be made up. */
export function formStamp(deps: Pick<AppDeps, 'keyring' | 'clock'>): string {
  const at = String(deps.clock.now().getTime());
  return `${at}.${deps.keyring.mac('dropoff-form', at).toString('base64url')}`;
}

/** Whether the stamp is ours and old enough (and not ancient). */
export function stampOk(deps: Pick<AppDeps, 'keyring' | 'clock'>, stamp: string): boolean {
  const [at, mac] = stamp.split('.');
  if (at === undefined || mac === undefined || !/^\d{10,16}$/.test(at)) return false;
  if (!equalBytes(Buffer.from(mac, 'base64url'), deps.keyring.mac('dropoff-form', at))) return false;
  const age = deps.clock.now().getTime() - Number(at);
  return age >= MIN_FILL_MS && age <= MAX_FILL_MS;
}

/** The e-mail domains of the tenant's staff, so a typo in a caseworker's address is caught. */
async function staffDomains(deps: AppDeps, tenantId: string): Promise<string[]> {
  const rows = await deps.db.query<{ domain: string }>(
    `SELECT DISTINCT split_part(email, '@', 2) AS domain FROM staff WHERE tenant_id = $1 AND status = 'active' ORDER BY 1`,
    [tenantId],
  );
  return rows.map((r) => r.domain);
}

/** Where addressed-directly messages go when the address is not (or no longer) a caseworker's. */
async function fallbackDepartment(deps: AppDeps, tenant: Tenant): Promise<string | undefined> {
  const configured = (tenant.settings as { inbound?: { directFallbackDepartmentId?: unknown } }).inbound
    ?.directFallbackDepartmentId;
  const all = await listInboundDepartments(deps.db, tenant.id);
  return (
    (typeof configured === 'string' ? all.find((d) => d.id === configured) : undefined)?.id ??
    all.find((d) => d.dropoffEnabled)?.id
  );
}

export type ContactTarget =
  | { kind: 'department'; id: string }
  | { kind: 'direct' }
  | { kind: 'upload'; link: UploadLink; token: string };

const contactFields = {
  firstName: { type: 'string', maxLength: 100 },
  lastName: { type: 'string', maxLength: 100 },
  phone: { type: 'string', maxLength: 40 },
  email: { type: 'string', maxLength: 254 },
  caseworker: { type: 'string', maxLength: 254 },
  departmentId: { type: 'string', maxLength: 36 },
  website: { type: 'string', maxLength: 500 },
  started: { type: 'string', maxLength: 200 },
  _csrf: csrfField,
} as const;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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
  render: (state: {
    values: Record<string, string>;
    errors: FieldError[];
    status: number;
  }) => Promise<FastifyReply>,
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
  const de = request.locale === 'de';
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
  if (values.firstName === '')
    errors.push({
      field: 'firstName',
      message: de ? 'Bitte geben Sie Ihren Vornamen ein.' : 'Please enter your first name.',
    });
  if (values.lastName === '')
    errors.push({
      field: 'lastName',
      message: de ? 'Bitte geben Sie Ihren Nachnamen ein.' : 'Please enter your last name.',
    });
  if (values.phone !== '' && !/^[+0-9 ()/-]{4,40}$/.test(values.phone ?? ''))
    errors.push({
      field: 'phone',
      message: de
        ? 'Bitte geben Sie eine Telefonnummer nur mit Ziffern, Leerzeichen, +, - oder / ein.'
        : 'Please enter a phone number with digits, spaces, +, - or / only.',
    });
  if (!emailPattern.test(values.email ?? ''))
    errors.push({
      field: 'email',
      message: de
        ? 'Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@example.org.'
        : 'Please enter a valid e-mail address, for example name@example.org.',
    });
  let departmentId: string | null = null;
  let toStaffId: string | null = null;
  let addressedTo: string | null = null;
  if (target.kind === 'direct') {
    const address = normaliseEmail(values.caseworker ?? '');
    const domains = await staffDomains(deps, request.tenant.id);
    if (!emailPattern.test(address))
      errors.push({
        field: 'caseworker',
        message: de
          ? 'Bitte geben Sie die E-Mail-Adresse Ihrer Sachbearbeiterin oder Ihres Sachbearbeiters ein.'
          : "Please enter your caseworker's e-mail address.",
      });
    else if (!domains.includes(address.split('@')[1] ?? '')) {
      errors.push({
        field: 'caseworker',
        message: de
          ? `Hier gehen nur Adressen von ${request.tenant.name}. Sie enden auf: ${domains.map((d) => `@${d}`).join(', ')}.`
          : `Only addresses of ${request.tenant.name} work here. They end in: ${domains.map((d) => `@${d}`).join(', ')}.`,
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
  const browserHash = await browserSession(deps, request, reply);
  const needsCode = target.kind !== 'upload' || target.link.level >= 2;
  const id = await startSession(deps, request.tenant.id, {
    departmentId,
    toStaffId,
    addressedTo,
    uploadLinkId: target.kind === 'upload' ? target.link.id : null,
    email: values.email ?? '',
    contact: {
      firstName: values.firstName ?? '',
      lastName: values.lastName ?? '',
      phone: values.phone ?? '',
    },
    locale: request.locale,
    browserHash,
    verified: !needsCode,
  });
  if (!needsCode) return reply.redirect(`/inbound/${id}`, 303);
  try {
    await sendSessionCode(deps, request, { id, email: values.email ?? '', locale: request.locale });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'ERR_RATE_LIMITED') throw err;
    return await render({
      values,
      errors: [{ field: 'email', message: errorMessage('ERR_RATE_LIMITED', request.locale) }],
      status: 429,
    });
  }
  return reply.redirect(`/inbound/${id}/code`, 303);
}

/** Drop-off: the public list of departments, the forms to start, and the shared steps after. */
export function dropoffRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const directAvailable = async (tenant: Tenant) => (await fallbackDepartment(deps, tenant)) !== undefined;

    app.get('/dropoff', { schema: { hide: true } }, async (request, reply) => {
      const departments = (await listInboundDepartments(deps.db, request.tenant.id)).filter(
        (d) => d.dropoffEnabled,
      );
      return reply.page(
        dropoffIndexPage(pageContext(request, reply), {
          departments,
          directAvailable: await directAvailable(request.tenant),
        }),
      );
    });

    const contactPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      target: { kind: 'department'; id: string } | { kind: 'direct' },
      state: { values: Record<string, string>; errors: FieldError[]; status: number },
    ) => {
      const department =
        target.kind === 'department'
          ? await getInboundDepartment(deps.db, request.tenant.id, target.id)
          : undefined;
      if (target.kind === 'department' && department?.dropoffEnabled !== true)
        throw new AppError('ERR_NOT_FOUND');
      if (target.kind === 'direct' && !(await directAvailable(request.tenant)))
        throw new AppError('ERR_NOT_FOUND');
      return reply.page({
        ...inboundContactPage(pageContext(request, reply), {
          action: '/dropoff/start',
          target:
            department === undefined
              ? { kind: 'direct', domains: await staffDomains(deps, request.tenant.id) }
              : { kind: 'department', department },
          values: state.values,
          errors: state.errors,
          started: formStamp(deps),
        }),
        status: state.status,
      });
    };

    app.get(
      '/dropoff/to/:departmentId',
      {
        schema: {
          hide: true,
          params: { type: 'object', properties: { departmentId: { type: 'string', format: 'uuid' } } },
        },
      },
      async (request, reply) =>
        contactPage(
          request,
          reply,
          { kind: 'department', id: (request.params as { departmentId: string }).departmentId },
          { values: {}, errors: [], status: 200 },
        ),
    );
    app.get('/dropoff/direct', { schema: { hide: true } }, async (request, reply) =>
      contactPage(request, reply, { kind: 'direct' }, { values: {}, errors: [], status: 200 }),
    );

    app.post(
      '/dropoff/start',
      { attachValidation: true, schema: { hide: true, body: { type: 'object', properties: contactFields } } },
      async (request, reply) => {
        const departmentId = formString(request.body, 'departmentId');
        const target: { kind: 'department'; id: string } | { kind: 'direct' } =
          departmentId === '' ? { kind: 'direct' } : { kind: 'department', id: departmentId };
        if (target.kind === 'department') {
          const d = /^[0-9a-f-]{36}$/.test(departmentId)
            ? await getInboundDepartment(deps.db, request.tenant.id, departmentId)
            : undefined;
          if (d?.dropoffEnabled !== true) throw new AppError('ERR_NOT_FOUND');
        }
        if (request.validationError !== undefined) {
          return contactPage(request, reply, target, {
            values: {},
            errors: [{ field: 'firstName', message: errorMessage('ERR_VALIDATION', request.locale) }],
            status: 400,
          });
        }
        return handleContact(deps, request, reply, target, (state) =>
          contactPage(request, reply, target, state),
        );
      },
    );

    app.setErrorHandler(inboundErrorHandler);
    inboundFlowRoutes(app, deps);
  };
}
