// The upload islands' checks (islands/lib/rules.ts) run in the browser; they are plain
// functions, so they are tested here without one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkFiles,
  checkText,
  fieldMessages,
  looksLikeEmail,
  readLimits,
  splitAddresses,
} from './islands/lib/rules.ts';
import { messages } from './i18n/index.ts';

const MB = 1024 * 1024;

describe('upload rules (islands)', () => {
  it('reads the limits the page put on the form; missing or odd ones are not checked', () => {
    assert.deepEqual(readLimits({ dataset: { maxFileSize: '1000', maxFiles: '3', maxTotalSize: 'x' } }), {
      maxFileSize: 1000,
      maxFiles: 3,
      maxTotalSize: undefined,
    });
    assert.deepEqual(readLimits({ dataset: {} }), {
      maxFileSize: undefined,
      maxFiles: undefined,
      maxTotalSize: undefined,
    });
  });

  it('refuses files over the limits, naming the file and the limit in human units', () => {
    const limits = { maxFileSize: 10 * MB, maxFiles: 2, maxTotalSize: 15 * MB };
    const files = [
      { name: 'ok.pdf', size: 1 * MB },
      { name: 'riesig.mp4', size: 12 * MB },
      { name: 'drei.txt', size: 5 * MB },
    ];
    assert.deepEqual(
      checkFiles(files, limits, 'de').map((p) => p.message),
      [
        'Sie haben 3 Dateien ausgewählt. Erlaubt sind höchstens 2 Dateien je Nachricht.',
        'Die Datei „riesig.mp4“ ist 12 MB groß. Erlaubt sind höchstens 10 MB je Datei. Bitte teilen Sie die Datei auf oder verkleinern Sie sie.',
        'Alle Dateien zusammen sind 18 MB groß. Erlaubt sind höchstens 15 MB je Nachricht.',
      ],
    );
    assert.ok(checkFiles(files, limits, 'en').every((p) => p.field === 'files'));
    assert.deepEqual(checkFiles(files.slice(0, 1), limits, 'de'), []);
    assert.deepEqual(
      checkFiles(files, { maxFileSize: undefined, maxFiles: undefined, maxTotalSize: undefined }, 'de'),
      [],
    );
  });

  it('maps the API’s field problems onto the form, `files.N` naming the file', () => {
    const got = fieldMessages(
      [
        { field: 'files.1', code: 'ERR_FILE_TOO_LARGE', message: 'Zu groß.' },
        { field: 'recipients', code: 'ERR_VALIDATION', message: 'Ungültig.' },
        { field: 'body', code: 'ERR_VALIDATION', message: 'Kaputt.' },
        { field: 'files.9', code: 'ERR_FILE_TOO_LARGE', message: 'Zu groß.' },
      ],
      [{ name: 'a.pdf' }, { name: 'b.pdf' }],
      'de',
    );
    assert.deepEqual(got, [
      { field: 'files', message: '„b.pdf“: Zu groß.' },
      { field: 'recipients', message: 'Ungültig.' },
      { field: '', message: 'Kaputt.' },
      { field: 'files', message: 'Zu groß.' },
    ]);
  });

  it('splits recipients on lines, commas and semicolons, and checks them roughly', () => {
    assert.deepEqual(splitAddresses(' a@b.de,\nc@d.org ; e@f.net\n\n'), ['a@b.de', 'c@d.org', 'e@f.net']);
    assert.ok(looksLikeEmail('buerger@example.org'));
    assert.ok(!looksLikeEmail('buerger@example'));
    assert.ok(!looksLikeEmail('kein name@example.org'));
  });

  it('checks subject and message lengths like the API', () => {
    const t = messages('de').upload;
    assert.deepEqual(checkText(t, '  ', ''), [{ field: 'subject', message: t.subjectMissing }]);
    assert.deepEqual(checkText(t, 'x'.repeat(201), 'y'.repeat(20001)), [
      { field: 'subject', message: t.subjectTooLong },
      { field: 'message', message: t.messageTooLong },
    ]);
    assert.deepEqual(checkText(t, 'Betreff', ''), []);
  });
});
