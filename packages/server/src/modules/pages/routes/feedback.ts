import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { accessibilityPage, messages } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { pageContext } from '../../../http/context.ts';
import { formRoute } from '../../../http/form-route.ts';
import { formString } from '../../../http/forms.ts';
import { formBody } from '../../../http/schemas.ts';
import type { Feedback } from '../feedback.ts';
import { sendAccessibilityFeedback } from '../feedback.ts';
import { legalSettings } from '../legal.ts';

const schema = {
  body: formBody(
    {
      name: { type: 'string', maxLength: 200 },
      email: {
        anyOf: [
          { type: 'string', format: 'email', maxLength: 254 },
          { type: 'string', maxLength: 0 },
        ],
      },
      message: { type: 'string', minLength: 1, maxLength: 5000, pattern: '\\S' },
      page: { type: 'string', maxLength: 500 },
    },
    ['message'],
  ),
} as const;

// Read trimmed, as the form shows them again and as they are kept.
function feedbackOf(request: FastifyRequest): Feedback {
  return {
    name: formString(request.body, 'name'),
    email: formString(request.body, 'email'),
    message: formString(request.body, 'message'),
    page: formString(request.body, 'page'),
  };
}

/** The feedback form of the accessibility statement. */
export function feedbackRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const formAgain = (
      request: FastifyRequest,
      reply: Parameters<typeof pageContext>[1],
      errors: FieldError[],
    ) =>
      accessibilityPage(pageContext(request, reply), legalSettings(request.tenant), {
        values: { ...feedbackOf(request) },
        errors,
      });

    formRoute(app, '/accessibility/feedback', {
      access: 'public',
      schema,
      // The route is declared once for all requests: the words are picked by the request's language.
      fieldMessages: (locale) => messages(locale).accessibility.feedbackErrors,
      errorField: 'message',
      run: async (request, reply) => {
        const feedback = feedbackOf(request);
        const sent = await sendAccessibilityFeedback(deps, {
          tenant: request.tenant,
          ip: request.ip,
          feedback,
        });
        if (sent) return '/barrierefreiheit?notice=feedback-sent';
        const errors = [
          { field: 'message', message: messages(request.locale).accessibility.feedbackTooMany },
        ];
        return reply.page({ ...formAgain(request, reply, errors), status: 429 });
      },
      render: (request, reply, errors) => formAgain(request, reply, errors),
    });
  };
}
