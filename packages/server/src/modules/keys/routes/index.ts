import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { envelopeRoutes } from './envelopes.ts';
import { personalKeyRoutes } from './personal.ts';

/**
 * Personal keys and end-to-end envelopes (levels 3 and 4): the keys page, the key API for
 * browsers and the CLI, the envelopes of a draft, re-wraps for recipients who got a key late.
 * (A recipient's envelope, reached by the link, is the transfers module's.)
 */
export function keyRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    personalKeyRoutes(app, deps);
    envelopeRoutes(app, deps);
  };
}
