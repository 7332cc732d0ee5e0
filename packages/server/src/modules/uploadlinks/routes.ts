import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError, FileTypeId } from '@amtsbote/web';
import {
  inboundContactPage,
  isFileTypeId,
  uploadLinkClosedPage,
  uploadLinkFormPage,
  uploadLinkPage,
  uploadLinksPage,
} from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { csrfField, formString, schemaFieldErrors } from '../../http/forms.ts';
import { formStamp, handleContact } from '../dropoff/routes.ts';
import { listInboundDepartments, memberDepartmentIds } from '../postbox/departments.ts';
import { inboundErrorHandler } from '../postbox/errors.ts';
import { currentDepartmentKey } from '../postbox/keys.ts';
import { inboundPolicy, typesFor } from '../postbox/policy.ts';
import type { Staff } from '../staff/service.ts';
import type { UploadLink } from './service.ts';
import {
  MAX_LINK_DAYS,
  closeUploadLink,
  createUploadLink,
  linkUrl,
  listUploadLinks,
  resolveUploadLink,
  submissionsOf,
  uploadLinkForStaff,
} from './service.ts';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;
const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 200 } },
} as const;
const MiB = 1024 * 1024;

function staffOrLogin(request: FastifyRequest, reply: FastifyReply): Staff | undefined {
  if (request.auth !== undefined) return request.auth.staff;
  void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  return undefined;
}

/** Upload links: the caseworker's requests (create, see, close) and the public page behind each. */
export function uploadLinkRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.setErrorHandler(inboundErrorHandler);

    const formPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      staff: Staff,
      state: { values: Record<string, string | string[]>; errors: FieldError[]; status: number },
    ) => {
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
    };

    app.get('/upload-links', { schema: { hide: true } }, async (request, reply) => {
      const staff = staffOrLogin(request, reply);
      if (staff === undefined) return reply;
      return reply.page(
        uploadLinksPage(pageContext(request, reply), {
          links: await listUploadLinks(deps, request.tenant, staff),
        }),
      );
    });

    app.get('/upload-links/new', { schema: { hide: true } }, async (request, reply) => {
      const staff = staffOrLogin(request, reply);
      if (staff === undefined) return reply;
      return formPage(request, reply, staff, { values: {}, errors: [], status: 200 });
    });

    app.post(
      '/upload-links',
      {
        attachValidation: true,
        schema: {
          hide: true,
          body: {
            type: 'object',
            properties: {
              departmentId: { type: 'string', maxLength: 36 },
              email: { type: 'string', maxLength: 254 },
              title: { type: 'string', maxLength: 200 },
              note: { type: 'string', maxLength: 4000 },
              reference: { type: 'string', maxLength: 100 },
              level: { type: 'string', enum: ['1', '2', '3', '4'] },
              types: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
              maxSizeMb: { type: 'string', pattern: '^[0-9]{0,7}$' },
              maxUses: { type: 'string', pattern: '^[0-9]{0,4}$' },
              validDays: { type: 'string', pattern: '^[0-9]{0,3}$' },
              sendMail: { type: 'string' },
              _csrf: csrfField,
            },
          },
        },
      },
      async (request, reply) => {
        const staff = staffOrLogin(request, reply);
        if (staff === undefined) return reply;
        const v = (n: string) => formString(request.body, n);
        const body = request.body as { types?: string | string[] };
        const rawTypes =
          body.types === undefined ? [] : Array.isArray(body.types) ? body.types : [body.types];
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
        const de = request.locale === 'de';
        const errors: FieldError[] = [];
        const level = Number(values.level) as 1 | 2 | 3 | 4;
        // A value the schema refused (e.g. a level that does not exist): shown at its field.
        for (const e of schemaFieldErrors(request, {}))
          errors.push({ field: e.field === 'body' ? 'title' : e.field, message: e.message });
        if (values.title === '')
          errors.push({
            field: 'title',
            message: de
              ? 'Bitte geben Sie einen Titel ein, zum Beispiel „Nachweise zum Wohngeldantrag“.'
              : 'Please enter a title, for example “Evidence for the housing benefit claim”.',
          });
        if (values.email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email))
          errors.push({
            field: 'email',
            message: de
              ? 'Bitte geben Sie eine gültige E-Mail-Adresse ein oder lassen Sie das Feld leer.'
              : 'Please enter a valid e-mail address or leave the field empty.',
          });
        if (level >= 2 && values.email === '')
          errors.push({
            field: 'email',
            message: de
              ? 'Ab Stufe 2 braucht der Link eine E-Mail-Adresse: die Person bestätigt sie mit einem Code.'
              : 'From level 2 on the link needs an e-mail address: the person confirms it with a code.',
          });
        if (types.length === 0)
          errors.push({
            field: 'types',
            message: de
              ? 'Bitte wählen Sie mindestens eine Art von Datei.'
              : 'Please choose at least one kind of file.',
          });
        const policy = inboundPolicy(request.tenant);
        const maxMb =
          values.maxSizeMb === '' ? Math.floor(policy.maxFileSize / MiB) : Number(values.maxSizeMb);
        if (maxMb < 1 || maxMb * MiB > policy.maxFileSize)
          errors.push({
            field: 'maxSizeMb',
            message: de
              ? `Bitte geben Sie eine Größe von 1 bis ${Math.floor(policy.maxFileSize / MiB)} MB an.`
              : `Please give a size from 1 to ${Math.floor(policy.maxFileSize / MiB)} MB.`,
          });
        const days = values.validDays === '' ? 14 : Number(values.validDays);
        if (days < 1 || days > MAX_LINK_DAYS)
          errors.push({
            field: 'validDays',
            message: de
              ? `Der Link kann 1 bis ${MAX_LINK_DAYS} Tage gelten.`
              : `The link can be valid for 1 to ${MAX_LINK_DAYS} days.`,
          });
        const uses = values.maxUses === '' ? null : Number(values.maxUses);
        if (uses !== null && uses < 1)
          errors.push({
            field: 'maxUses',
            message: de
              ? 'Bitte lassen Sie das Feld leer oder geben Sie 1 oder mehr an.'
              : 'Please leave the field empty or enter 1 or more.',
          });
        if (errors.length > 0) return formPage(request, reply, staff, { values, errors, status: 400 });
        try {
          const created = await createUploadLink(
            deps,
            request.tenant,
            staff,
            {
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
              locale: request.locale,
            },
            request.ipPrefix,
          );
          return await reply.redirect(`/upload-links/${created.id}?notice=upload-link-created`, 303);
        } catch (err) {
          if (!(err instanceof AppError) || err.code === 'ERR_MAIL_DELIVERY' || err.code === 'ERR_INTERNAL')
            throw err;
          const field = err.fields[0]?.field ?? 'title';
          return formPage(request, reply, staff, {
            values,
            errors: [{ field, message: errorMessage(err.code, request.locale) }],
            status: err.status,
          });
        }
      },
    );

    app.get('/upload-links/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const staff = staffOrLogin(request, reply);
      if (staff === undefined) return reply;
      const link = await uploadLinkForStaff(
        deps,
        request.tenant,
        staff,
        (request.params as { id: string }).id,
      );
      const submissions = await submissionsOf(deps.db, request.tenant.id, link.id);
      return reply.page(
        uploadLinkPage(pageContext(request, reply), {
          link,
          url: linkUrl(request.tenant, deps, link.token),
          submissions,
        }),
      );
    });

    app.post(
      '/upload-links/:id/close',
      {
        schema: { hide: true, params: idParams, body: { type: 'object', properties: { _csrf: csrfField } } },
      },
      async (request, reply) => {
        const staff = staffOrLogin(request, reply);
        if (staff === undefined) return reply;
        const { id } = request.params as { id: string };
        await closeUploadLink(deps, request.tenant, staff, id, request.ipPrefix);
        return reply.redirect(`/upload-links/${id}?notice=upload-link-closed`, 303);
      },
    );

    // ---- The page behind the link ----
    const openLink = async (
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<{ link: UploadLink; token: string } | undefined> => {
      const { token } = request.params as { token: string };
      const link = await resolveUploadLink(deps, request.tenant.id, token);
      if (link === undefined) throw new AppError('ERR_LINK_INVALID');
      if (link.status !== 'open') {
        await reply.page({
          ...uploadLinkClosedPage(pageContext(request, reply), {
            status: link.status,
            department: link.departmentName,
            requester: link.requester,
          }),
          status: 410,
        });
        return undefined;
      }
      return { link, token };
    };
    const contactPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      l: { link: UploadLink; token: string },
      state: { values: Record<string, string>; errors: FieldError[]; status: number },
    ): Promise<FastifyReply> =>
      reply.page({
        ...inboundContactPage(pageContext(request, reply), {
          action: `/u/${l.token}/start`,
          target: { kind: 'upload', link: l.link },
          values: l.link.email === null ? state.values : { ...state.values, email: l.link.email },
          errors: state.errors,
          started: formStamp(deps),
        }),
        status: state.status,
      });

    app.get('/u/:token', { schema: { hide: true, params: tokenParams } }, async (request, reply) => {
      const l = await openLink(request, reply);
      if (l === undefined) return reply;
      return contactPage(request, reply, l, { values: {}, errors: [], status: 200 });
    });

    app.post(
      '/u/:token/start',
      {
        schema: {
          hide: true,
          params: tokenParams,
          body: {
            type: 'object',
            properties: {
              firstName: { type: 'string', maxLength: 100 },
              lastName: { type: 'string', maxLength: 100 },
              phone: { type: 'string', maxLength: 40 },
              email: { type: 'string', maxLength: 254 },
              website: { type: 'string', maxLength: 500 },
              started: { type: 'string', maxLength: 200 },
              _csrf: csrfField,
            },
          },
        },
      },
      async (request, reply) => {
        const l = await openLink(request, reply);
        if (l === undefined) return reply;
        return handleContact(
          deps,
          request,
          reply,
          { kind: 'upload', link: l.link, token: l.token },
          (state) => contactPage(request, reply, l, state),
        );
      },
    );
  };
}
