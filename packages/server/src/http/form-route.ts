import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify';
import type { FieldError, Page } from '@amtsbote/web';
import type { ErrorCode } from '../errors.ts';
import { AppError } from '../errors.ts';
import type { AccessDeclaration } from './access.ts';
import type { FieldMessages } from './forms.ts';
import { appFieldErrors, schemaFieldErrors } from './forms.ts';
import type { AppTypeProvider } from './schemas.ts';

/** A request whose body, params and query are typed by the route's schemas. */
export type SchemaRequest<S extends FastifySchema> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  RawRequestDefaultExpression,
  S,
  AppTypeProvider
>;

export interface FormRoute<S extends FastifySchema> {
  access: AccessDeclaration;
  /** The form's schemas: `body` (use `formBody`, which adds `_csrf`), `params` where it has any. */
  schema: S;
  /** Words for the schema's complaints, per field; a field without an entry gets the generic one. */
  fieldMessages?: FieldMessages;
  /** The field an AppError without field problems is shown at. */
  errorField: string;
  /**
   * The codes the person can fix by changing the form: these re-render it. Any other error goes
   * to the error page, as everywhere. Absent: every AppError re-renders the form.
   */
  fixable?: readonly ErrorCode[];
  /**
   * Runs the use case. Answers where to go next (303, with a `?notice=` if it says so), or a
   * reply it sent itself (e.g. a page that shows a one-time secret). Runs only with a body the
   * schema admitted.
   */
  run(request: SchemaRequest<S>, reply: FastifyReply): Promise<string | FastifyReply>;
  /** The form's page again, showing what was submitted and these errors. */
  render(request: SchemaRequest<S>, reply: FastifyReply, errors: FieldError[]): Page | Promise<Page>;
}

/**
 * The skeleton of every form post, written once: validate with the schema, run the use case,
 * redirect after POST — or show the form again with the errors next to their fields (400 for
 * the schema's complaints, the error's own status for a use case's).
 */
export function formRoute<const S extends FastifySchema>(
  app: FastifyInstance,
  path: string,
  route: FormRoute<S>,
): void {
  const schema: FastifySchema = { hide: true, ...route.schema };
  app.post(
    path,
    { schema, config: { access: route.access }, attachValidation: true },
    async (plain, reply) => {
      // Fastify typed the request by the schemas given above; `route` names the same schemas.
      const request = plain as SchemaRequest<S>;
      if (request.validationError !== undefined) {
        const errors = schemaFieldErrors(request, route.fieldMessages ?? {});
        return reply.page({ ...(await route.render(request, reply, errors)), status: 400 });
      }
      try {
        const next = await route.run(request, reply);
        if (typeof next === 'string') return await reply.redirect(next, 303);
        return next;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (route.fixable !== undefined && !route.fixable.includes(err.code)) throw err;
        const errors = appFieldErrors(err, request.locale, route.errorField);
        return reply.page({ ...(await route.render(request, reply, errors)), status: err.status });
      }
    },
  );
}
