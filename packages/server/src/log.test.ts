import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import { createLogger, redactUrl } from './log.ts';

it('masks token-like path segments and every query value', () => {
  assert.equal(redactUrl('/login/link/Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0'), '/login/link/:token');
  assert.equal(
    redactUrl('/admin/departments/3f1c2a9e-1b2c-4d5e-8f90-123456789abc'),
    '/admin/departments/3f1c2a9e-1b2c-4d5e-8f90-123456789abc',
  );
  assert.equal(redactUrl('/x?code=123456&lang=de'), '/x?code=…&lang=…');
});

it('never writes authorization headers, cookies or passwords, and only IP prefixes', () => {
  const lines: string[] = [];
  const log = createLogger(
    'info',
    new Writable({
      write: (c: Buffer, _e, cb) => {
        lines.push(c.toString());
        cb();
      },
    }),
  );
  log.info(
    {
      req: {
        method: 'GET',
        url: '/login/link/abcdefghijklmnopqrstuvwxyz012345',
        ip: '203.0.113.77',
        headers: { authorization: 'Bearer amtb_secret' },
      },
    },
    'request',
  );
  log.info({ form: { password: 'hunter2hunter2', token: 'amtb_abc' } }, 'form');
  const all = lines.join('\n');
  assert.doesNotMatch(all, /abcdefghijklmnopqrstuvwxyz012345/);
  assert.doesNotMatch(all, /amtb_/);
  assert.doesNotMatch(all, /hunter2/);
  assert.doesNotMatch(all, /203\.0\.113\.77/);
  assert.match(all, /203\.0\.113\.0\/24/);
});
