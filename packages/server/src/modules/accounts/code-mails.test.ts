import assert from 'node:assert/strict';
import { it } from 'node:test';
import { emailChangeCodeMail, registrationCodeMail } from './mails.ts';

// A subject shows on lock screens and in notification previews: the code stays in the body.
it('keeps one-time codes out of the subject, in the body', () => {
  for (const lang of ['de', 'en'] as const)
    for (const make of [registrationCodeMail, emailChangeCodeMail]) {
      const mail = make('a@example.org', lang, { code: '482913', tenantName: 'Musterstadt' });
      assert.doesNotMatch(mail.subject, /482913/, `${lang}: ${mail.subject}`);
      assert.match(mail.text, /482913/);
    }
});
