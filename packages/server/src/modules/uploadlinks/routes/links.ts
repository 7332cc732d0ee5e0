import type { FastifyInstance } from 'fastify';
import { uploadLinkPage, uploadLinksPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import { inboundPolicy } from '../../postbox/index.ts';
import { linkFormBody, linkFormPage, readLinkForm } from '../link-form.ts';
import { linkForMember } from '../policy.ts';
import { closeUploadLink, linkUrl, listUploadLinks, submissionsOf } from '../service.ts';
import { createUploadLink } from '../services/create-link.ts';

/** The caseworker's upload links: the list, the form for a new one, one link, closing it. */
export function linkRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.get('/upload-links', { config: { access: 'staff' }, schema: { hide: true } }, async (request, reply) =>
    reply.page(
      uploadLinksPage(pageContext(request, reply), {
        links: await listUploadLinks(deps, request.tenant, staffOf(request)),
      }),
    ),
  );

  app.get(
    '/upload-links/new',
    { config: { access: 'staff' }, schema: { hide: true } },
    async (request, reply) =>
      linkFormPage(deps, request, reply, staffOf(request), { values: {}, errors: [], status: 200 }),
  );

  // Not formRoute: the schema's complaints and the form's own checks are shown together, and
  // only the first field of a use case's error is.
  app.post(
    '/upload-links',
    { config: { access: 'staff' }, attachValidation: true, schema: { hide: true, body: linkFormBody } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { values, errors, input } = readLinkForm(request, inboundPolicy(request.tenant));
      if (errors.length > 0)
        return linkFormPage(deps, request, reply, staff, { values, errors, status: 400 });
      try {
        const created = await createUploadLink(
          deps,
          request.tenant,
          staff,
          { ...input, locale: request.locale },
          request.ipPrefix,
        );
        return await reply.redirect(`/upload-links/${created.id}?notice=upload-link-created`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'ERR_MAIL_DELIVERY' || err.code === 'ERR_INTERNAL')
          throw err;
        const field = err.fields[0]?.field ?? 'title';
        return linkFormPage(deps, request, reply, staff, {
          values,
          errors: [{ field, message: errorMessage(err.code, request.locale) }],
          status: err.status,
        });
      }
    },
  );

  app.get(
    '/upload-links/:id',
    { config: { access: 'staff' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const link = await linkForMember(deps, request.tenant, staffOf(request), request.params.id);
      const submissions = await submissionsOf(deps.db, request.tenant.id, link.id);
      return reply.page(
        uploadLinkPage(pageContext(request, reply), {
          link,
          url: linkUrl(request.tenant, deps, link.token),
          submissions,
        }),
      );
    },
  );

  app.post(
    '/upload-links/:id/close',
    {
      config: { access: 'staff' },
      schema: { hide: true, params: { $ref: 'IdParams#' }, body: formBody({}) },
    },
    async (request, reply) => {
      const { id } = request.params;
      await closeUploadLink(deps, request.tenant, staffOf(request), id, request.ipPrefix);
      return reply.redirect(`/upload-links/${id}?notice=upload-link-closed`, 303);
    },
  );
}
