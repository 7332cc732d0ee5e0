import type { FastifyInstance } from 'fastify';
import { staffHomePage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { pageContext } from '../../../http/context.ts';
import { routesOf } from '../../../http/schemas.ts';
import { departmentsOf } from '../../staff/index.ts';
import { staffIfSignedIn, staffOf } from '../request.ts';

/** The signed-in staff member: the home page after sign-in, and `GET /api/v1/me`. */
export function staffHomeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  // Stays `public` with its own check: a browser without a session is sent to sign in with a
  // 302 (the tests pin it), where the access hook answers 303.
  r.get('/home', { config: { access: 'public' } }, async (request, reply) => {
    const staff = staffIfSignedIn(request);
    if (staff === undefined) return reply.redirect(`/login?next=${encodeURIComponent('/home')}`);
    const departments = await departmentsOf(deps.db, request.tenant.id, staff.id);
    return reply.page(staffHomePage(pageContext(request, reply), { departments }));
  });

  r.get(
    '/api/v1/me',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'The signed-in staff member',
        tags: ['account'],
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              email: { type: 'string' },
              displayName: { type: ['string', 'null'] },
              isTenantAdmin: { type: 'boolean' },
              tenant: {
                type: 'object',
                properties: { slug: { type: 'string' }, name: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      return {
        id: staff.id,
        email: staff.email,
        displayName: staff.displayName,
        isTenantAdmin: staff.isTenantAdmin,
        tenant: { slug: request.tenant.slug, name: request.tenant.name },
      };
    },
  );
}
