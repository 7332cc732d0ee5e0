// Words of the notification mails in English, typed against the German master (mails.de.ts).
import type { MailMessages } from './mails.de.ts';

const day = (d: Date): string =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(d);

export const mailsEn: MailMessages = {
  greeting: 'Hello,',
  footerNoContentFrom: (tenantName: string) => `${tenantName} – this e-mail contains no content.`,
  footerNoContent: 'This e-mail contains no content.',

  code: {
    subject: (tenantName: string) => `Your confirmation code for ${tenantName}`,
    validity: 'The code works once, for 15 minutes.',
    notYou: 'If this was not you, you can delete this message.',
  },

  loginLink: {
    subject: (tenantName: string) => `Your sign-in link for ${tenantName}`,
    lines: (tenantName: string) => [
      `You asked to sign in to ${tenantName}. This link works once, for 15 minutes:`,
    ],
    linkLabel: 'Sign in now',
    footer: 'If this was not you, you can simply delete this message.',
  },
  staffInvitation: {
    subject: (tenantName: string) => `Invitation to ${tenantName}`,
    lines: (tenantName: string, inviter: string) => [
      `${inviter} has invited you as a staff member of ${tenantName}.`,
      'Use this link to set your password. It works once, for 7 days:',
    ],
    linkLabel: 'Accept invitation',
    footer: 'If you did not expect this invitation, you can delete this message.',
  },

  accessibilityFeedback: {
    subject: (tenantName: string) => `Feedback on accessibility (${tenantName})`,
    intro: (tenantName: string) => `New feedback on the accessibility of ${tenantName}:`,
    name: (name: string) => `Name: ${name}`,
    email: (email: string) => `E-mail: ${email}`,
    page: (page: string) => `Page: ${page}`,
    notGiven: '(not given)',
  },

  registrationCode: {
    intro: (tenantName: string) => `You are creating a service account at ${tenantName}. Your code is:`,
  },
  emailChangeCode: {
    intro: (tenantName: string) =>
      `You want to use this address for your service account at ${tenantName}. Your code is:`,
  },
  alreadyRegistered: {
    subject: (tenantName: string) => `Your service account at ${tenantName}`,
    lines: (tenantName: string) => [
      `Someone wanted to create a service account with this address. But you already have one at ${tenantName}. Please sign in with it. If you forgot your password, you can set a new one there.`,
    ],
    linkLabel: 'Go to sign-in',
    footer: 'If this was not you, you can delete this message. Your account is unchanged.',
  },
  passwordReset: {
    subject: (tenantName: string) => `New password for your service account at ${tenantName}`,
    lines: ['You want to set a new password. This link lets you do so once, for one hour:'],
    linkLabel: 'Set a new password',
    footer: 'If this was not you, you can delete this message. Your password then stays unchanged.',
  },
  emailChanged: {
    subject: (tenantName: string) =>
      `The e-mail address of your service account at ${tenantName} was changed`,
    lines: (newEmail: string) => [
      `Your service account now uses the address ${newEmail}. If this was not you, please contact the authority.`,
    ],
    linkLabel: 'Go to the portal',
  },
  identityCode: {
    intro: (tenantName: string, service: string) =>
      `You signed in at ${tenantName} with ${service} and want to use this e-mail address for your service account. Your code is:`,
    defaultService: 'the identity service',
    linked: 'If this address already has a service account, the sign-in will be connected to it.',
    notYou: 'If this was not you, do not pass the code on and delete this message.',
  },

  accountInactivity: {
    subject: (tenantName: string) => `Your service account at ${tenantName} will be deleted soon`,
    lines: (tenantName: string, lastActive: Date, dueAt: Date) => [
      `You have not used your service account at ${tenantName} since ${day(lastActive)}.`,
      `Accounts that are not used for a long time are deleted with all their data. Your account will be deleted on ${day(dueAt)}.`,
      'If you want to keep it, simply sign in once before then:',
    ],
    linkLabel: 'Sign in now',
    footer: 'If you no longer need the account, you need not do anything.',
  },
  organisationDeletion: {
    subject: (organisation: string) => `The organisation account “${organisation}” will be deleted`,
    lines: (organisation: string, tenantName: string, dueAt: Date) => [
      `The organisation account “${organisation}” at ${tenantName} has not been used for a long time.`,
      `It will therefore be deleted with all its data on ${day(dueAt)}.`,
      'If you want to keep it, stop the deletion with this link:',
    ],
    linkLabel: 'Stop the deletion',
    footer: 'If you no longer need the organisation account, you need not do anything.',
  },

  keyReady: {
    subject: (tenantName: string) => `Your confidential message from ${tenantName} can be opened now`,
    lines: [
      'The sender’s side has released the message for your key.',
      'Open it with the link from the first e-mail, or sign in to your account.',
    ],
    linkLabel: 'To your account',
  },

  keyReplaced: {
    subject: (tenantName: string) => `Your personal key at ${tenantName} was replaced`,
    lines: (tenantName: string, fingerprint: string | undefined) => [
      `Your personal key for confidential messages at ${tenantName} has just been replaced by a new one. Messages to you are now encrypted for the new key.`,
      ...(fingerprint === undefined ? [] : [`The fingerprint of the new key is: ${fingerprint}`]),
      'Was this not you? Then please sign in at once, replace the key again with one of your own, and contact the authority.',
    ],
    linkLabel: 'To your key',
    footer: 'If this was you, there is nothing to do. This e-mail contains no content.',
  },

  inboundArrived: {
    subject: (department: string) => `New item in the ${department} postbox`,
    dropoff: (department: string) => `A new confidential message has arrived in the ${department} postbox.`,
    upload: (department: string) => `Requested documents have arrived in the ${department} postbox.`,
    linkLabel: 'Open item',
  },
  inboundReceived: {
    subject: (tenantName: string) => `Your message to ${tenantName} has arrived`,
    arrived: (department: string, tenantName: string) =>
      `Your confidential message to ${department} (${tenantName}) has arrived.`,
    number: (number: string) => `Reference number: ${number}`,
    keptUntil: (until: Date) =>
      `It stays available until ${day(until)}. After that the message, the files and your contact details are deleted.`,
    willNotify: 'We will write to you as soon as someone has opened it.',
    footer: 'This e-mail contains no content. If you did not send anything, you can delete it.',
  },
  inboundRetrieved: {
    subject: 'Your message was retrieved',
    retrieved: (number: string, department: string, tenantName: string) =>
      `Your message with the reference number ${number} was retrieved by ${department} (${tenantName}).`,
  },
  quarantineGuest: {
    subject: 'One of your files was not delivered',
    infected: (department: string, number: string) =>
      `Our virus scanner found malware in a file of your message to ${department} (reference number ${number}). The file was blocked and deleted. ${department} has been told.`,
    failed: (department: string, number: string) =>
      `A file of your message to ${department} (reference number ${number}) could not be checked for malware, for example because it is too large. It was therefore not delivered. ${department} has been told.`,
    checkAndResend: 'Please check the file with an up-to-date virus scanner and then send it again.',
  },
  quarantineStaff: {
    subject: (department: string) => `File blocked in the ${department} postbox`,
    infected: (department: string) =>
      `The virus scanner found malware in an item of the ${department} postbox. The file is blocked and cannot be downloaded. The sender has been told.`,
    failed: (department: string) =>
      `A file in an item of the ${department} postbox could not be checked for malware. It is blocked. The sender has been told.`,
    linkLabel: 'Open item',
  },
  uploadRequest: {
    subject: (tenantName: string) => `${tenantName} asks you for documents`,
    asks: (requester: string, department: string, tenantName: string) =>
      `${requester} (${department}, ${tenantName}) asks you to upload documents through our secure portal.`,
    howTo: 'The link shows which documents are needed and lets you upload them.',
    confirmFirst: 'For your security you first confirm your e-mail address there with a code.',
    validUntil: (until: Date) => `The link works until ${day(until)}.`,
    linkLabel: 'Upload documents',
    footer: 'This e-mail contains no content. Do not pass the link on.',
  },

  organisationInvitation: {
    subject: (organisation: string) => `Invitation to the organisation account “${organisation}”`,
    lines: (inviter: string, tenantName: string, organisation: string, days: number) => [
      `${inviter} invites you to act for “${organisation}” on the portal of ${tenantName}.`,
      'Sign in with your service account for this e-mail address, or create one. The organisation’s administrators then still have to confirm your access.',
      `The link works for ${days} days:`,
    ],
    linkLabel: 'View invitation',
    footer: 'If you did not expect this invitation, you can delete this message.',
  },
  invitationAccepted: {
    subject: (organisation: string) => `Please confirm: new access to “${organisation}”`,
    lines: (who: string, organisation: string) => [
      `${who} has accepted the invitation to the organisation account “${organisation}”.`,
      'Please check that this person is entitled and confirm the access. Only then can they use the organisation account.',
    ],
    linkLabel: 'Manage members',
  },
  accessGranted: {
    subject: (organisation: string) => `Your access to “${organisation}” is confirmed`,
    lines: (organisation: string) => [`You can now read and send messages in the name of “${organisation}”.`],
    linkLabel: 'Go to the organisation account',
  },
  postboxNotification: {
    subjectMessage: (organisation: string) => `New message in the postbox of “${organisation}”`,
    subjectNotice: (organisation: string) => `New notice in the postbox of “${organisation}”`,
    message: (organisation: string, tenantName: string) =>
      `A new confidential message from ${tenantName} has arrived in the postbox of the organisation account “${organisation}”.`,
    notice: (organisation: string) =>
      `There is a new notice in the postbox of the organisation account “${organisation}”.`,
    whoCanRead: 'Members of the organisation can read it after signing in with their service account.',
    linkLabel: 'Go to the postbox',
  },

  transferNotification: {
    subject: (tenantName: string) => `New confidential message from ${tenantName}`,
    sent: (senderName: string, tenantName: string) =>
      `${senderName} (${tenantName}) has sent you a confidential message.`,
    openWithCode: 'To open it, confirm your e-mail address with a code we will then send you.',
    openWithLink: 'You can open the message and the files with this link.',
    availableUntil: (until: Date) =>
      `The message is available until ${day(until)}. After that it is deleted.`,
    linkLabel: 'Open message',
    footer: 'This e-mail contains no content. Do not pass the link on.',
  },
  firstDownload: {
    subject: 'Your message was downloaded',
    lines: (recipient: string) => [`${recipient} has downloaded files from your message.`],
    linkLabel: 'Go to outbox',
  },
  replyArrived: {
    subject: 'New reply in your postbox',
    lines: (from: string) => [`${from} has replied to your message.`],
    linkLabel: 'Open reply',
  },
  verificationCode: {
    intro: (tenantName: string) => `Your confirmation code for ${tenantName} is:`,
  },
  passwordAnswer: {
    subject: (tenantName: string) => `Reply to your message to ${tenantName}`,
    lines: (senderName: string, tenantName: string, until: Date) => [
      `${senderName} (${tenantName}) has replied to your confidential message.`,
      'The reply is encrypted with the password you chose yourself when you sent your message. Open it with the link and that password.',
      `The reply is available until ${day(until)}. After that it is deleted.`,
    ],
    linkLabel: 'Open the reply',
    footer: 'This e-mail contains no content and no password. Do not pass the link on.',
  },
};
