import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { inboundContactPage, uploadLinkClosedPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import type { UploadLink } from '../../uploadlinks/index.ts';
import { resolveUploadLink } from '../../uploadlinks/index.ts';
import { handleContact, linkContactFields } from '../contact.ts';
import { formStamp } from '../stamp.ts';

/**
 * The page behind an upload link: the guest's contact step, which starts an inbound session
 * like drop-off does (the upload links module keeps the caseworker's side). The token alone
 * opens it; a link used up, expired or closed shows why, with 410.
 */
export function uploadLinkStartRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  const openLink = async (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
  ): Promise<{ link: UploadLink; token: string } | undefined> => {
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

  app.get(
    '/u/:token',
    { config: { access: 'public' }, schema: { hide: true, params: { $ref: 'TokenParams#' } } },
    async (request, reply) => {
      const l = await openLink(request, reply, request.params.token);
      if (l === undefined) return reply;
      return contactPage(request, reply, l, { values: {}, errors: [], status: 200 });
    },
  );

  app.post(
    '/u/:token/start',
    {
      config: { access: 'public' },
      schema: { hide: true, params: { $ref: 'TokenParams#' }, body: formBody(linkContactFields) },
    },
    async (request, reply) => {
      const l = await openLink(request, reply, request.params.token);
      if (l === undefined) return reply;
      return handleContact(deps, request, reply, { kind: 'upload', link: l.link, token: l.token }, (state) =>
        contactPage(request, reply, l, state),
      );
    },
  );
}
