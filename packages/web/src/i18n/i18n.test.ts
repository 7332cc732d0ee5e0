import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { de } from './de.ts';
import { en } from './en.ts';
import { formatDate, isNoticeKey, mailMessages, noticeMessages } from './index.ts';
import { mailsDe } from './mails.de.ts';
import { mailsEn } from './mails.en.ts';
import { noticeKinds, noticesDe } from './notices.de.ts';
import { noticesEn } from './notices.en.ts';

/** Every leaf path of a message tree, with its value. */
function leaves(tree: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (typeof tree === 'object' && tree !== null && !Array.isArray(tree)) {
    for (const [k, v] of Object.entries(tree))
      for (const [p, leaf] of leaves(v, prefix === '' ? k : `${prefix}.${k}`)) out.set(p, leaf);
  } else {
    out.set(prefix, tree);
  }
  return out;
}

/** What a leaf produces: functions are called with sample arguments. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (typeof value === 'function') {
    // Message functions take values (names, numbers, formatted sizes or dates): any sample will do.
    const fn = value as (...args: unknown[]) => unknown;
    return texts(fn(...Array.from({ length: fn.length }, () => 42)));
  }
  return [];
}

/** The catalogues that pair a German master with an English translation typed against it. */
const catalogues = [
  ['pages', de, en],
  ['mails', mailsDe, mailsEn],
  ['notices', noticesDe, noticesEn],
] as const;

describe('translations', () => {
  for (const [catalogue, master, translation] of catalogues) {
    const deLeaves = leaves(master);
    const enLeaves = leaves(translation);

    it(`${catalogue}: every German key has an English translation, and vice versa`, () => {
      assert.deepEqual([...enLeaves.keys()].sort(), [...deLeaves.keys()].sort());
    });

    it(`${catalogue}: the same kind of value on both sides: text, list or function of the same arity`, () => {
      for (const [key, dv] of deLeaves) {
        const ev = enLeaves.get(key);
        assert.equal(typeof ev, typeof dv, key);
        assert.equal(Array.isArray(ev), Array.isArray(dv), key);
        if (typeof dv === 'function' && typeof ev === 'function') assert.equal(ev.length, dv.length, key);
        if (Array.isArray(dv) && Array.isArray(ev)) assert.ok(ev.length > 0 && dv.length > 0, key);
      }
    });

    it(`${catalogue}: no text is empty, and none is markup (templates escape them)`, () => {
      for (const [name, tree] of [
        ['de', deLeaves],
        ['en', enLeaves],
      ] as const) {
        for (const [key, v] of tree) {
          for (const s of texts(v)) {
            assert.ok(s.trim().length > 0, `${name}.${key} is empty`);
            assert.doesNotMatch(s, /<[a-z/]/i, `${name}.${key} contains markup`);
          }
        }
      }
    });
  }

  it('every notice has a kind, and only notices have one', () => {
    assert.deepEqual(Object.keys(noticeKinds).sort(), Object.keys(noticesDe).sort());
    // The type says so already; this guards the values should the type ever be widened.
    for (const kind of Object.values<string>(noticeKinds))
      assert.ok(['success', 'info'].includes(kind), kind);
  });

  it('only own notice keys count: a crafted URL cannot reach the prototype', () => {
    assert.equal(isNoticeKey('signed-out'), true);
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '', 'nope'])
      assert.equal(isNoticeKey(key), false, key);
  });

  it('the accessors give each language its catalogue', () => {
    assert.equal(mailMessages('de'), mailsDe);
    assert.equal(mailMessages('en'), mailsEn);
    assert.equal(noticeMessages('de'), noticesDe);
    assert.equal(noticeMessages('en'), noticesEn);
  });

  it('German and English differ where they should (not copied by mistake)', () => {
    assert.notEqual(en.login.submit, de.login.submit);
    assert.notEqual(en.privacy.intro, de.privacy.intro);
    // The server's field errors, once forks in the route files, now read from here.
    assert.notEqual(en.inbound.contact.errors.firstName, de.inbound.contact.errors.firstName);
    assert.notEqual(en.inbound.linkForm.errors.maxSize(10), de.inbound.linkForm.errors.maxSize(10));
    assert.notEqual(en.accessibility.feedbackTooMany, de.accessibility.feedbackTooMany);
    assert.notEqual(mailsEn.greeting, mailsDe.greeting);
    assert.notEqual(mailsEn.loginLink.linkLabel, mailsDe.loginLink.linkLabel);
    assert.notEqual(noticesEn['signed-out'], noticesDe['signed-out']);
  });

  it('mail dates read the way people write them in that language', () => {
    const until = new Date('2026-03-01T23:30:00Z'); // already 2 March in Berlin
    assert.match(mailsDe.transferNotification.availableUntil(until), /bis zum 2\. März 2026 abrufbar/);
    assert.match(mailsEn.transferNotification.availableUntil(until), /until 2 March 2026\./);
  });

  it('durations read naturally', () => {
    assert.equal(de.meta.days(60), '60 Tage');
    assert.equal(de.meta.days(365), '1 Jahr');
    assert.equal(en.meta.days(1), '1 day');
    assert.equal(en.meta.days(730), '2 years');
  });

  it('formats ISO dates per language and leaves free text alone', () => {
    assert.equal(formatDate('2026-03-01', 'de'), '1. März 2026');
    assert.equal(formatDate('2026-03-01', 'en'), '1 March 2026');
    assert.equal(formatDate('Frühjahr 2026', 'de'), 'Frühjahr 2026');
  });
});
