// English for oidc-email.de.ts: the same keys, the same function parameters.
import type { OidcEmailMessages } from './oidc-email.de.ts';

export const oidcEmailEn: OidcEmailMessages = {
  title: 'Confirm your e-mail address',
  intro: (name: string | undefined) =>
    name === undefined
      ? 'You have signed in at the identity service. It did not send us a confirmed e-mail address, though.'
      : `You have signed in at the identity service (${name}). It did not send us a confirmed e-mail address, though.`,
  why: 'We use your e-mail address to tell you when an authority sends you something. We will send you a code to confirm that the address is yours.',
  existing:
    'If you already have a service account with this address, the identity service sign-in will be connected to it.',
  email: 'E-mail address',
  emailHint: 'For example name@example.org',
  send: 'Send code',
  sentTitle: 'Code sent',
  sentText: (email: string) => `We have sent a code to ${email}. Please check your spam folder, too.`,
  code: 'Code from the e-mail',
  codeHint: 'The code has 6 digits and works for 15 minutes.',
  confirm: 'Confirm and sign in',
  otherAddress: 'Use another address or ask for a new code',
  resendHeading: 'No code arrived?',
  timeLimit: 'Please finish this step within 30 minutes. After that, please sign in again.',
};
