import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentDisposition, parseRange, uniqueNames } from './downloads.ts';

describe('Range header', () => {
  it('reads the single-range forms', () => {
    assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
    assert.deepEqual(parseRange('bytes=500-', 1000), { start: 500, end: 999 });
    assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
    assert.deepEqual(parseRange('bytes=900-5000', 1000), { start: 900, end: 999 });
  });
  it('ignores what it does not understand and refuses what lies outside', () => {
    assert.equal(parseRange(undefined, 10), undefined);
    assert.equal(parseRange('bytes=0-1,5-6', 10), undefined);
    assert.equal(parseRange('items=0-1', 10), undefined);
    assert.equal(parseRange('bytes=10-', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=5-2', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=-0', 10), 'unsatisfiable');
  });
});

describe('file names', () => {
  it('gives ZIP entries unique names without path separators', () => {
    assert.deepEqual(uniqueNames(['a.pdf', 'A.pdf', 'b', 'b', '../x/y.txt']), [
      'a.pdf',
      'A (2).pdf',
      'b',
      'b (2)',
      '.._x_y.txt',
    ]);
  });
  it('sends non-ASCII names as RFC 8187 with a safe fallback', () => {
    const h = contentDisposition('Bescheid "Müller".pdf');
    assert.match(
      h,
      /^attachment; filename="Bescheid _M_ller_.pdf"; filename\*=UTF-8''Bescheid%20%22M%C3%BCller%22.pdf$/,
    );
  });
});
