// English for password-answer.de.ts: the same keys, the same function parameters.
import type { PasswordAnswerMessages } from './password-answer.de.ts';

export const passwordAnswerEn: PasswordAnswerMessages = {
  answer: {
    option: 'Level 4: encrypt with the message’s password',
    optionHint:
      'The text, file names and files are encrypted here in your browser with the password the person chose when sending. They open the answer with that password and need no account. The subject stays readable: put nothing confidential there.',
    password: 'Password of the message',
    passwordHint:
      'The same password you opened the message with. It is checked and never leaves your browser.',
    passwordMissing: 'Please enter the password of the message.',
    passwordWrong:
      'This password does not open the message. The answer must be encrypted with exactly that password, or the person cannot open it.',
    checking: 'Checking the password …',
    encrypting: 'The answer is being encrypted in your browser and uploaded …',
    failed: 'Sending did not work. Please try again.',
    noReply:
      'The person cannot reply directly to an answer encrypted with a password; they can send you a new message at any time.',
  },
  open: {
    level: 'Level 4: encrypted with your password',
    levelText:
      'The text, file names and files are end-to-end encrypted with the password you chose yourself when you sent your message. Only someone who knows that password can open the answer – not even we can.',
    senderLevel: 'Level 4: encrypted with the message’s password',
    senderLevelText:
      'The text, file names and files are end-to-end encrypted with the password the person chose for their message. They open the answer with it, without an account.',
    heading: 'Open with your password',
    intro:
      'Enter the password you chose when you sent your message. The answer is decrypted with it here in your browser. The password is not sent to us.',
    password: 'Your password',
    senderIntro:
      'This answer is encrypted with the password of the message it answers. You can open it here with that password; it never leaves your browser.',
    senderPassword: 'Password of the message',
    submit: 'Open the answer',
    working: 'Checking the password. This takes a moment …',
    missing: 'Please enter your password.',
    wrong:
      'The password is not correct. Nothing was decrypted. Please check upper and lower case and try again.',
    errorTitle: 'The answer could not be opened',
    forgotten: (tenant: string) =>
      `Forgotten the password? Then nobody can open the answer, not even we can. Please contact ${tenant}.`,
    jsTitle: 'JavaScript is needed',
    jsText:
      'The answer is decrypted in your browser with your password. For that this page needs JavaScript in a current browser.',
  },
};
