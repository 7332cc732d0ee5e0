import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctxFor, squash } from '../test-support.ts';
import { errorPage, notFoundPage } from './errors.ts';

describe('error pages', () => {
  it('500 shows the request id and no internals', () => {
    const body = squash(errorPage(ctxFor(), { requestId: 'r-123' }).body.__html);
    assert.match(body, /<code>r-123<\/code>/);
    assert.match(body, /Es ist ein Fehler aufgetreten/);
  });

  it('other errors show the registry’s message', () => {
    assert.match(
      squash(errorPage(ctxFor(), { requestId: 'r', message: 'Das Formular ist abgelaufen.' }).body.__html),
      /Das Formular ist abgelaufen\./,
    );
  });

  it('404 explains expired links too', () => {
    assert.match(squash(notFoundPage(ctxFor({ locale: 'en' })).body.__html), /no longer valid/);
  });
});
