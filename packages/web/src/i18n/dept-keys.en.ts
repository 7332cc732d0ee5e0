// English for dept-keys.de.ts: the same keys, the same function parameters.
import type { DeptKeysMessages } from './dept-keys.de.ts';

export const deptKeysEn: DeptKeysMessages = {
  page: {
    title: (name: string) => `Key of the department ${name}`,
    back: 'Back',
    intro:
      'With the department’s key, citizens encrypt uploads at levels 3 and 4 in their own browser. Only members of the department can open them, with their personal key. The server never sees the private key.',
    noKey: 'The department has no key yet.',
    noKeyText: 'Uploads at levels 3 and 4 to this department are possible only once it has a key.',
    publicKey: 'Public key',
    created: 'Created',
    createHeading: 'Create the key',
    replaceHeading: 'Create a new key',
    createText:
      'Your browser creates the key pair and encrypts the private key for every member who already has a personal key. Members who create their personal key later get their access automatically as soon as another member is signed in with an unlocked key.',
    replaceText:
      'A new key applies to everything uploaded from now on. What was encrypted with the old key stays readable for the members who had it.',
    create: 'Create the key',
    replace: 'Create a new key',
    membersCaption: 'Members and their access',
    colName: 'Name',
    colEmail: 'E-mail address',
    colPersonalKey: 'Personal key',
    colAccess: 'Access to the department key',
    yes: 'yes',
    none: 'none yet',
    access: 'yes',
    waiting: 'waiting for a member with an unlocked key',
    noMembers: 'The department has no members.',
    noKeyHolders:
      'No member has a personal key yet. Create the department key once at least one member has one – otherwise nobody can open the uploads.',
    ownKey: 'Your personal key',
  },
  island: {
    working: 'Your browser is creating the key …',
    noHolders: 'No member has a personal key. The key was not created.',
    done: (n: number) =>
      n === 1
        ? 'The key is created and encrypted for 1 member.'
        : `The key is created and encrypted for ${String(n)} members.`,
    failed: 'The key could not be created. Please try again.',
    confirmReplace: 'Really create a new key?',
  },
  open: {
    waitingShare:
      'You have no access to the department’s key yet. You get it automatically as soon as another member is signed in with an unlocked key.',
  },
};
