import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ATTACK, ctxFor, squash } from '../test-support.ts';
import { accessibilityPage } from './accessibility.ts';
import { imprintPage } from './imprint.ts';
import type { TenantLegalSettings } from './legal-settings.ts';
import { defaultLegalSettings } from './legal-settings.ts';
import { privacyPage } from './privacy.ts';

describe('legal pages', () => {
  const legal = defaultLegalSettings('Musterstadt');
  const real: TenantLegalSettings = {
    ...legal,
    controllerLegalForm: 'Gebietskörperschaft',
    controllerRepresentative: 'Bürgermeisterin Erika Mustermann',
    controllerAddress: 'Rathausplatz 1\n99999 Musterstadt',
    contactEmail: 'post@musterstadt.de',
    contactPhone: '+49 30 1234',
    oversightAuthority: 'Kreis Muster',
    contentResponsible: 'Max Muster',
    dpoName: 'Datenschutz Musterstadt',
    dpoEmail: 'datenschutz@musterstadt.de',
    supervisoryAuthorityName: 'LfDI Muster',
    statementDate: '2026-03-01',
    feedbackEmail: 'barrierefrei@musterstadt.de',
    enforcementBodyName: 'Ombudsstelle Muster',
  };

  it('defaults are marked as demo values, real settings are not', () => {
    for (const page of [privacyPage, imprintPage]) {
      assert.match(squash(page(ctxFor(), legal).body.__html), /Beispielangaben/);
      assert.doesNotMatch(squash(page(ctxFor(), real).body.__html), /Beispielangaben/);
    }
    assert.match(
      squash(accessibilityPage(ctxFor(), legal, { values: {}, errors: [] }).body.__html),
      /Beispielangaben/,
    );
    assert.doesNotMatch(
      squash(accessibilityPage(ctxFor(), real, { values: {}, errors: [] }).body.__html),
      /Beispielangaben/,
    );
  });

  it('the privacy notice describes cookies, truncated IPs, retention and rights', () => {
    const body = squash(privacyPage(ctxFor(), legal).body.__html);
    for (const needle of [
      'amtsbote_session',
      'amtsbote_csrf',
      '/24',
      '/48',
      'Nachrichten und Dateien: 60 Tage',
      'noch 90 Tage',
      'Vorgänge: 1 Jahr',
      '90 Tage lang nicht benutzt',
    ]) {
      assert.ok(body.includes(needle), needle);
    }
    for (const art of [15, 16, 17, 18, 19, 20, 21])
      assert.ok(body.includes(`Artikel ${String(art)} DSGVO`), `Art. ${String(art)}`);
    assert.match(
      squash(privacyPage(ctxFor({ locale: 'en' }), { ...legal, transferRetentionDays: 30 }).body.__html),
      /Messages and files: 30 days/,
    );
  });

  it('shows tenant values escaped and refuses unsafe links from settings', () => {
    const evil = {
      ...real,
      controllerName: ATTACK,
      supervisoryAuthorityWebsite: 'javascript:alert(1)',
      dpoEmail: 'a"onmouseover="x@y.de',
    };
    const body = squash(privacyPage(ctxFor(), evil).body.__html);
    assert.doesNotMatch(body, /<script>|href="javascript|onmouseover="x/);
    assert.match(body, /javascript:alert\(1\)/, 'shown as text');
  });

  it('falls back to defaults for settings of the wrong type', () => {
    const broken = {
      ...real,
      transferRetentionDays: 'viele',
      controllerAddress: { __html: ATTACK },
      conformityStatus: 'perfect',
    } as unknown as TenantLegalSettings;
    const body = squash(privacyPage(ctxFor(), broken).body.__html);
    assert.match(body, /60 Tage/);
    assert.doesNotMatch(body, /<script>/);
    const a11y = squash(accessibilityPage(ctxFor(), broken, { values: {}, errors: [] }).body.__html);
    assert.match(a11y, /teilweise/);
  });

  it('the imprint names publisher, representative and contact', () => {
    const body = squash(imprintPage(ctxFor(), real).body.__html);
    for (const needle of [
      'Musterstadt',
      'Bürgermeisterin Erika Mustermann',
      'Rathausplatz 1<br>99999 Musterstadt',
      'href="mailto:post@musterstadt.de"',
      'href="tel:+49301234"',
      '§ 18',
    ]) {
      assert.ok(body.includes(needle), needle);
    }
  });

  it('the accessibility statement has status, barriers, date, feedback form and enforcement', () => {
    const body = squash(
      accessibilityPage(
        ctxFor(),
        { ...real, knownBarriers: 'Alte PDF-Formulare\n\nKarte' },
        { values: { message: 'Kontrast', page: '/login' }, errors: [] },
      ).body.__html,
    );
    assert.match(body, /teilweise/);
    assert.match(body, /<li>Alte PDF-Formulare<\/li>/);
    assert.match(body, /<li>Karte<\/li>/);
    assert.match(body, /1\. März 2026/);
    assert.match(body, /<form id="feedback" method="post" action="\/accessibility\/feedback"/);
    assert.match(body, /<input type="hidden" name="page" value="\/login">/);
    assert.match(body, /<textarea [^>]*name="message"[^>]*> ?Kontrast<\/textarea>/);
    assert.match(body, /name="email"[^>]*autocomplete="email"/);
    assert.match(body, /Ombudsstelle Muster/);
    assert.match(body, /Schlichtung/);
  });

  it('feedback errors mark the message field', () => {
    const body = squash(
      accessibilityPage(ctxFor(), real, {
        values: {},
        errors: [{ field: 'message', message: 'Bitte schreiben Sie uns' }],
      }).body.__html,
    );
    assert.match(body, /id="feedback-message"[^>]*aria-invalid="true"/);
  });
});
