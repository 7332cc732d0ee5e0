// English for e2e-keys.de.ts: the same keys, the same function parameters.
import type { E2eKeysMessages } from './e2e-keys.de.ts';

export const e2eKeysEn: E2eKeysMessages = {
  nav: 'Key',
  level3: 'Level 3: end-to-end encrypted files',
  level3Text:
    'The files are encrypted in your browser already. Only the recipients and you can open them; we do not scan them for malware.',
  level4: 'Level 4: end-to-end encrypted, the text too',
  level4Text:
    'As level 3, and the message text and file names are encrypted too. The subject stays readable: write nothing confidential there.',
  keys: {
    title: 'Your personal key',
    intro:
      'Your personal key opens end-to-end encrypted messages (levels 3 and 4). It is made in your browser. We store it only encrypted with your key passphrase and with a recovery code; only you know either.',
    noScript: 'The key needs JavaScript in a current browser.',
    createHeading: 'Create a key',
    warning:
      'Important: if you lose both the key passphrase and the recovery code, nobody – not even we – can make your earlier end-to-end encrypted messages readable again.',
    passphrase: 'Key passphrase',
    passphraseHint: 'At least 12 characters. Not the same as your sign-in password.',
    passphraseRepeat: 'Repeat the key passphrase',
    understood: 'I understand: without passphrase and recovery code, old encrypted content is lost.',
    create: 'Create key',
    working: 'Please wait, the key is being computed …',
    recoveryHeading: 'Your recovery code',
    recoveryText: 'Print this code or write it down and keep it safe. It is shown only now.',
    print: 'Print',
    recoveryKept: 'I have kept the recovery code safe.',
    done: 'Continue',
    unlockHeading: 'Unlock your key',
    unlockText:
      'Enter your key passphrase. The key stays unlocked in this browser until you sign out and is never sent to us.',
    unlock: 'Unlock',
    unlocked: 'Your key is unlocked.',
    locked: 'Your key is locked.',
    lock: 'Lock now',
    wrongPassphrase: 'The passphrase is wrong.',
    wrongCode: 'The recovery code is wrong.',
    tooShort: 'The passphrase is too short (at least 12 characters).',
    mismatch: 'The two passphrases differ.',
    notUnderstood: 'Please confirm the notice.',
    changeHeading: 'Change the passphrase',
    changeText: 'The key stays the same; it is only encrypted again with the new passphrase.',
    current: 'Current passphrase',
    newPassphrase: 'New key passphrase',
    change: 'Change passphrase',
    changed: 'The passphrase was changed.',
    recoverHeading: 'Forgot the passphrase?',
    recoverText: 'With your recovery code you set a new passphrase.',
    recoveryCode: 'Recovery code',
    recover: 'Set a new passphrase',
    publicKey: 'Public key',
    created: 'Created',
    failed: 'That did not work. Please try again.',
    errorTitle: 'Please check your input',
    backTo: 'Back to the message',
    fingerprint: 'Fingerprint',
    fingerprintHint:
      'The fingerprint belongs to your key and your address. Compare it with the one the authority or the other side sees: if every digit matches, it is your key.',
    fingerprintGroup: (n: number, digits: string) => `Group ${String(n)}: ${digits}`,
  },
  open: {
    heading: 'End-to-end encrypted',
    intro:
      'This message is end-to-end encrypted. It is opened only here, in your browser, with your personal key.',
    notScanned: 'Not scanned for malware (end-to-end encrypted).',
    noKey: 'You have no personal key yet. Create one; the sender’s side then releases the message for you.',
    createKey: 'Create key',
    waiting:
      'Waiting for the sender’s side: as soon as the sender is signed in again, the message is released for your key. You will get an e-mail.',
    locked: 'Unlock your key to open the message.',
    unlockKey: 'Unlock key',
    opening: 'The message is being decrypted …',
    opened: 'The message is decrypted.',
    failed: 'Decryption failed: the key does not fit or the data were modified. Nothing was saved.',
    encryptedText: 'The message text is encrypted.',
    filesCaption: 'Files (end-to-end encrypted)',
    name: 'File',
    size: 'Size',
    action: 'Action',
    save: (name: string) => `Decrypt and save ${name}`,
    saving: (name: string) => `Decrypting ${name} …`,
    saved: (name: string) => `${name} was saved.`,
    noStreaming:
      'This browser cannot save large files decrypted. Please use a current Chromium, Edge or Firefox browser, or the command-line tool: amtsbote fetch LINK --identity FILE',
  },
  compose: {
    encrypting: 'The files are being encrypted in your browser and uploaded …',
    noOwnKey: 'Levels 3 and 4 need your personal key, unlocked. Open “Key” and unlock it.',
    pendingNote: (emails: string) =>
      `No key yet: ${emails}. They get the message once they have created a key and you are signed in again.`,
  },
  rewrap: {
    done: (n: number) =>
      n === 1
        ? 'One message was released for a new key.'
        : `${String(n)} messages were released for new keys.`,
  },
};
