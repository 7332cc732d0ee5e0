// English for account-tokens.de.ts: the same keys, the same function parameters.
import type { AccountTokensMessages } from './account-tokens.de.ts';

export const accountTokensEn: AccountTokensMessages = {
  nav: 'Access tokens',
  title: 'Access tokens for programs',
  intro:
    'With an access token, a program such as “amtsbote fetch” downloads messages addressed to your account (security level 2). The token only allows reading and downloading these messages. It cannot change anything: no settings, no keys, no replies.',
  keepSecret:
    'Treat an access token like a password. Revoke it as soon as you no longer need it or someone else might know it.',
  createHeading: 'Create a new access token',
  name: 'Name',
  nameHint: 'How you will recognise it, for example “office laptop”. At most 100 characters.',
  nameMissing: 'Please enter a name (at most 100 characters).',
  expiry: 'Valid',
  expiryHint: 'After it expires, the token no longer works.',
  expiryNever: 'until you revoke it',
  expiryDays: (n: number) => `${n} days`,
  expiryInvalid: 'Please choose one of the options.',
  create: 'Create access token',
  createdTitle: 'Your new access token',
  createdText: 'Copy the token now. It is shown only this once; we do not store it in readable form.',
  secretLabel: 'Access token',
  usage: 'How to use it:',
  caption: 'Your access tokens',
  none: 'You have no access token yet.',
  created: 'Created',
  lastUsed: 'Last used',
  expires: 'Expires',
  noExpiry: 'never',
  action: 'Action',
  revoke: 'Revoke',
};
