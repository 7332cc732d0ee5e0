import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toAppError } from './error-handler.ts';
import { isDependencyUnavailable } from './outage.ts';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDependencyUnavailable', () => {
  for (const [label, err] of [
    ['ECONNREFUSED', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['ECONNRESET', coded('ECONNRESET')],
    ['57P01 admin shutdown', coded('57P01', 'terminating connection due to administrator command')],
    ['57P03 cannot connect now', coded('57P03', 'the database system is starting up')],
    ['08006 connection failure', coded('08006')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['pg-pool: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['pg-pool: ended', new Error('Cannot use a pool after calling end on the pool')],
    ['PGlite closed', new Error('PGlite is closed')],
    ['every address refused', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')])],
    ['wrapped', new Error('query failed', { cause: coded('57P02') })],
  ] as const) {
    it(`recognises ${label} and maps it to 503 ERR_SERVICE_UNAVAILABLE`, () => {
      assert.equal(isDependencyUnavailable(err), true);
      const appErr = toAppError(err);
      assert.equal(appErr.code, 'ERR_SERVICE_UNAVAILABLE');
      assert.equal(appErr.status, 503);
    });
  }

  for (const [label, err] of [
    ['a unique violation', coded('23505')],
    ['a syntax error in SQL', coded('42601')],
    ['a plain bug', new TypeError('x is undefined')],
  ] as const) {
    it(`leaves ${label} an internal error`, () => {
      assert.equal(isDependencyUnavailable(err), false);
      assert.equal(toAppError(err).code, 'ERR_INTERNAL');
    });
  }
});
