import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeMail, linkMail, textMail } from './layout.ts';

describe('mail layouts', () => {
  it('a link mail: the text reads on its own, the HTML says the same, escaped', () => {
    const mail = linkMail('de', {
      subject: 'Betreff <1>',
      greeting: 'Guten Tag,',
      lines: ['Zeile „A & B“', 'Zeile 2'],
      link: 'https://portal.example/x?a=1&b="2"',
      linkLabel: 'Öffnen',
      footer: 'Fuß',
    });
    assert.equal(mail.subject, 'Betreff <1>');
    assert.equal(
      mail.text,
      'Guten Tag,\n\nZeile „A & B“\nZeile 2\n\nhttps://portal.example/x?a=1&b="2"\n\nFuß',
    );
    assert.equal(
      mail.html,
      '<!doctype html><html lang="de"><body>\n<p>Guten Tag,</p>\n<p>Zeile „A &#38; B“</p>\n<p>Zeile 2</p>\n' +
        '<p><a href="https://portal.example/x?a=1&#38;b=&#34;2&#34;">Öffnen</a></p>\n' +
        '<p>https://portal.example/x?a=1&#38;b=&#34;2&#34;</p>\n<p>Fuß</p>\n</body></html>',
    );
  });

  it('a text mail: empty lines are blank lines in the text and left out of the HTML', () => {
    const mail = textMail('en', 'Subject', ['Hello,', '', "It's <here>", '', 'Bye']);
    assert.equal(mail.text, "Hello,\n\nIt's <here>\n\nBye");
    assert.equal(
      mail.html,
      '<!doctype html><html lang="en"><body><p>Hello,</p>\n<p>It&#39;s &#60;here&#62;</p>\n<p>Bye</p></body></html>',
    );
  });

  it('a code mail sets the code apart, in bold in the HTML', () => {
    const mail = codeMail('en', {
      subject: 'Your code: 123456',
      greeting: 'Hello,',
      intro: 'Your code for A & B is:',
      code: '123456',
      notes: ['The code works once.', 'If this was not you, delete this message.'],
    });
    assert.equal(
      mail.text,
      'Hello,\n\nYour code for A & B is:\n\n123456\n\nThe code works once.\nIf this was not you, delete this message.',
    );
    assert.equal(
      mail.html,
      '<!doctype html><html lang="en"><body><p>Hello,</p>\n\n<p>Your code for A &#38; B is:</p>\n\n' +
        '<p><strong>123456</strong></p>\n\n<p>The code works once.</p>\n<p>If this was not you, delete this message.</p></body></html>',
    );
  });
});
