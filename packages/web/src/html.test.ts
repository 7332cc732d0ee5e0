import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, isHtml, join, lines, safeHref, trustedHtml } from './html.ts';

describe('html``', () => {
  it('escapes every interpolated string, in content and in attributes', () => {
    const evil = `<script>alert("x")</script>' onload='x`;
    const out = html`<p title="${evil}">${evil}</p>`.__html;
    assert.doesNotMatch(out, /<script>/);
    assert.equal(out.match(/"/g)?.length, 2, 'only the template’s own quotes remain');
    assert.doesNotMatch(out, /'/);
    assert.match(out, /&lt;script&gt;/);
  });

  it('inserts Html made by html`` or trustedHtml unescaped, and nests', () => {
    const inner = html`<b>${'a<b'}</b>`;
    assert.equal(html`<p>${inner}</p>`.__html, '<p><b>a&lt;b</b></p>');
    assert.equal(html`${trustedHtml('<br>')}`.__html, '<br>');
  });

  it('treats a look-alike {__html} object (e.g. from JSON settings) as text', () => {
    const forged = JSON.parse('{"__html": "<script>alert(1)</script>"}') as { __html: string };
    assert.equal(isHtml(forged), false);
    assert.equal(html`${forged}`.__html, '&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('renders nothing for false, null and undefined, and concatenates arrays', () => {
    const no = false as boolean;
    const bold = trustedHtml('<b>');
    assert.equal(html`${no && bold}${null}${undefined}|${['<a>', bold, 3]}`.__html, '|&lt;a&gt;<b>3');
  });

  it('join escapes items and separator unless they are Html', () => {
    assert.equal(join(['<a>', 'b'], ', ').__html, '&lt;a&gt;, b');
    assert.equal(
      lines('Musterstraße 1\n\n<12345> Musterstadt').__html,
      'Musterstraße 1<br>&lt;12345&gt; Musterstadt',
    );
  });

  it('escapeHtml covers the characters that end a quoted attribute or start a tag', () => {
    assert.equal(escapeHtml(`&<>"'\``), '&amp;&lt;&gt;&quot;&#39;&#96;');
  });
});

describe('safeHref', () => {
  it('allows same-site paths, http(s), mailto and tel', () => {
    for (const ok of [
      '/impressum',
      '#main',
      'https://www.schlichtungsstelle-bgg.de',
      'mailto:a@b.de',
      'tel:+4930123',
    ]) {
      assert.equal(safeHref(ok), ok);
    }
  });

  it('refuses script URLs, protocol-relative URLs and non-strings', () => {
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,x',
      '//evil.example',
      '/\\evil',
      '',
      42,
    ]) {
      assert.equal(safeHref(bad), undefined, String(bad));
    }
  });
});
