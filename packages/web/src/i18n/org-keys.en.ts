// English for org-keys.de.ts: the same keys, the same function parameters.
import type { OrgKeysMessages } from './org-keys.de.ts';

export const orgKeysEn: OrgKeysMessages = {
  nav: 'Key',
  title: 'The organisation’s key',
  intro:
    'With the organisation’s key every member opens end-to-end encrypted messages (levels 3 and 4) in the organisation’s postbox. It is made in the browser of an administrator. For each confirmed member it is encrypted with that member’s personal key. We cannot read it.',
  noScript: 'The organisation’s key needs JavaScript in a current browser.',
  statusHeading: 'Status',
  none: 'The organisation has no key yet. Until it has one, encrypted messages to the organisation cannot be opened.',
  noneMember: 'The organisation has no key yet. An administrator of the organisation creates it.',
  exists: 'The organisation has a key.',
  publicKey: 'Public key',
  hasShare: 'You have access to the organisation’s key.',
  noShare:
    'The organisation’s key has not been released to you yet. The browser of a member who has it does that as soon as they are signed in with their personal key unlocked. You need a personal key for it.',
  waiting: (n: number) =>
    n === 1
      ? 'One member is still waiting for the organisation’s key.'
      : `${String(n)} members are still waiting for the organisation’s key.`,
  createHeading: 'Create the key',
  createText:
    'The key is made in your browser. Your personal key must be unlocked for it. The other members then get it automatically as soon as they have a personal key.',
  create: 'Create the organisation’s key',
  creating: 'Please wait, the key is being created …',
  created: 'The organisation’s key has been created.',
  locked: 'Your personal key is not unlocked.',
  unlock: 'Unlock your personal key',
  noPersonalKey: 'You have no personal key yet.',
  createPersonalKey: 'Create a personal key',
  shared: (n: number) =>
    n === 1
      ? 'The key has just been released to one member.'
      : `The key has just been released to ${String(n)} members.`,
  failed: 'That did not work. Please reload the page and try again.',
  openNoShare:
    'The organisation’s key has not been released to you yet. That happens automatically as soon as another member is signed in with their key unlocked.',
  openKeysPage: 'To the organisation’s key',
  picker: {
    label: 'Organisation',
    hint: 'Instead of an e-mail address: type part of the name and choose the organisation from the list. The message goes to the organisation’s postbox.',
    notFound: (name: string) => `The organisation “${name}” is not known. Please choose one from the list.`,
    found: (n: number) => (n === 1 ? '1 organisation found.' : `${String(n)} organisations found.`),
  },
};
