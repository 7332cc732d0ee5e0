import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromAcceptLanguage, negotiateLocale } from './locale.ts';

describe('negotiateLocale', () => {
  it('defaults to German', () => {
    assert.equal(negotiateLocale(undefined, undefined, undefined), 'de');
    assert.equal(negotiateLocale(undefined, undefined, 'fr-FR,fr;q=0.9'), 'de');
  });

  it('lets ?lang= win over everything', () => {
    assert.equal(negotiateLocale('en', 'de', 'de-DE'), 'en');
    assert.equal(negotiateLocale('de', 'en', 'en-GB'), 'de');
  });

  it('ignores an unsupported ?lang= and falls through', () => {
    assert.equal(negotiateLocale('fr', 'en', undefined), 'en');
    assert.equal(negotiateLocale('<script>', undefined, 'en'), 'en');
  });

  it('puts the session or tenant preference before Accept-Language', () => {
    assert.equal(negotiateLocale(undefined, 'en', 'de-DE,de;q=0.9'), 'en');
    assert.equal(negotiateLocale(undefined, 'de', 'en-GB'), 'de');
    assert.equal(negotiateLocale(undefined, 'xx', 'en-GB'), 'en');
  });

  it('reads Accept-Language by q-value, region subtags included', () => {
    assert.equal(negotiateLocale(undefined, undefined, 'en-GB,en;q=0.9'), 'en');
    assert.equal(negotiateLocale(undefined, undefined, 'fr;q=1, en;q=0.5, de;q=0.8'), 'de');
    assert.equal(negotiateLocale(undefined, undefined, 'de;q=0, en;q=0.1'), 'en');
    assert.equal(negotiateLocale(undefined, undefined, '*'), 'de');
  });

  it('keeps the header’s order on equal q-values', () => {
    assert.equal(fromAcceptLanguage('en, de'), 'en');
    assert.equal(fromAcceptLanguage('de-AT, en'), 'de');
  });

  it('survives garbage', () => {
    assert.equal(fromAcceptLanguage(';;;,,,q=x'), undefined);
    assert.equal(fromAcceptLanguage('en;q=abc'), 'en', 'an unreadable q-value counts as the default 1');
    assert.equal(fromAcceptLanguage('en'.padEnd(5000, ',')), undefined);
  });
});
