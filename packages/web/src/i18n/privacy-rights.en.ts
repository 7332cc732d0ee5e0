import type { PrivacyRightsMessages } from './privacy-rights.de.ts';

const days = (n: number): string =>
  n % 365 === 0 ? (n === 365 ? '1 year' : `${n / 365} years`) : n === 1 ? '1 day' : `${n} days`;

export const privacyRightsEn: PrivacyRightsMessages = {
  rules: {
    'transfers.content': {
      what: 'Messages and files',
      period: (d: number) =>
        `until the period chosen when sending ends (otherwise ${days(d)} after sending). Then content, files and keys are deleted.`,
    },
    'dropoff.content': {
      what: 'Messages and files you send to a department without an account',
      period: (d: number) => `until the chosen period ends (otherwise ${days(d)} after sending).`,
    },
    'dropoff.guest-contact': {
      what: 'Your contact details as a sender without an account',
      period: () => 'exactly as long as your message. They are deleted with its content.',
    },
    'transfers.metadata': {
      what: 'Delivery details without content (who, when, to whom, retrieved)',
      period: (d: number) => `for ${days(d)} after the content was deleted.`,
    },
    'transfers.drafts': {
      what: 'Drafts that were never sent',
      period: (d: number) => `${days(d)} after they were started.`,
    },
    'accounts.inactive': {
      what: 'Service accounts with all their data',
      period: (d: number, warn: number) =>
        `are deleted when they were not used for ${days(d)}. You get an e-mail ${days(warn)} before. Signing in keeps the account.`,
    },
    'organisations.inactive': {
      what: 'Organisation accounts',
      period: (d: number, warn: number) =>
        `are deleted when they were not used for ${days(d)}. We announce this by e-mail ${days(warn)} before; the link in that e-mail stops the deletion.`,
    },
    'organisations.membership-log': {
      what: 'Log of who had access to an organisation account when',
      period: () => 'once a year the administrators get an overview. The log is deleted afterwards.',
    },
    'organisations.invitations': {
      what: 'Invitations to organisation accounts that were not accepted',
      period: (d: number) => `${days(d)} after they expired.`,
    },
    'organisations.notices': {
      what: 'Notices in an organisation account’s postbox (for example: a member left)',
      period: (d: number) => `${days(d)} after they arrived.`,
    },
    'uploadlinks.expired': {
      what: 'Upload links of staff (with the address they went to)',
      period: (d: number) => `${days(d)} after they expired.`,
    },
    'stats.daily': {
      what: 'Usage counts per day (no personal data)',
      period: (d: number) => `${days(d)}.`,
    },
    'audit.events': {
      what: 'Log of important events (with shortened IP address)',
      period: (d: number) => `${days(d)}.`,
    },
    sessions: {
      what: 'Sign-ins (sessions), codes, sign-in links and access tokens for programs',
      period: () =>
        'at most 24 hours; codes and links one day after they expired; expired access tokens 30 days after they expired.',
    },
    'feedback.accessibility': {
      what: 'Feedback on accessibility',
      period: (d: number) => `${days(d)} after it arrived.`,
    },
    'access-log': {
      what: 'Access logs with full IP addresses',
      period: (d: number) =>
        d === 0 ? 'are not written.' : `are written to fend off attacks and deleted after ${days(d)}.`,
    },
    'jobs.records': {
      what: 'Log of background tasks (no personal data)',
      period: (d: number) => `${days(d)}.`,
    },
    'applications.drafts': {
      what: 'Online applications not yet submitted',
      period: (d: number) => `${days(d)} after they were last edited.`,
    },
    'applications.cases': {
      what: 'Completed online applications',
      period: (d: number) => `${days(d)} after completion.`,
    },
  },
  fallbackPeriod: (d: number) => `${days(d)}.`,
  privacyHeading: 'How long we keep data',
  privacyIntro:
    'These periods are the settings the portal works with right now. It deletes the data itself afterwards: content, files and keys are really removed, not just hidden.',
  admin: {
    title: 'Retention and privacy',
    heading: 'Retention and privacy',
    intro:
      'Every module registers here what it keeps and for how long. The portal deletes by itself afterwards. The privacy notice shows exactly these values.',
    tableCaption: 'Retention periods',
    colWhat: 'Data',
    colPeriod: 'Period',
    colDays: 'Days',
    colDefault: 'Default',
    fixed: 'fixed',
    rangeHint: (min: number, max: number) => `${min} to ${max} days`,
    save: 'Save periods',
    saved: 'The periods were saved.',
    invalid: (min: number, max: number) => `Please enter a whole number from ${min} to ${max}.`,
    statsHeading: 'Usage (counts per day)',
    statsIntro: 'Only counts from the database: no cookies, no IP addresses, no names. The last 30 days.',
    statsCaption: 'Usage per day',
    colDay: 'Day',
    metric: {
      transfers_sent: 'Messages sent',
      dropoffs: 'Messages without an account',
      uploads: 'Uploads through links',
      downloads: 'Downloads',
      active_accounts: 'Active service accounts',
    },
    total: 'Total',
    requestsHeading: 'Requests from data subjects',
    requestsIntro:
      'Does someone ask for their data (Art. 15 GDPR) or its deletion (Art. 17 GDPR)? Enter the e-mail address of the service account. Both are recorded in the audit log.',
    requestEmail: 'E-mail address',
    exportSubmit: 'Download data as ZIP',
    deleteSubmit: 'Delete service account with all data',
    deleteConfirm: 'Yes, I want to delete this service account for good.',
    noAccount:
      'There is no service account for this e-mail address. The export holds only messages to this address.',
    confirmMissing: 'Please confirm the deletion.',
    emailInvalid: 'Please enter a valid e-mail address.',
    notFound: 'There is no service account for this e-mail address.',
    nav: 'Privacy and retention',
  },
  myData: {
    title: 'My data',
    heading: 'My data',
    intro: 'Here you get all the data the portal keeps about you, or delete your service account.',
    exportHeading: 'Download all data',
    exportText:
      'You get a ZIP file with your profile, your sign-ins, your organisations, the details of your messages, the log about your account and every file that is still available. A README file explains everything.',
    exportSubmit: 'Download my data (ZIP)',
    deleteHeading: 'Delete service account',
    deleteText:
      'If you delete your service account, we remove it with all its data. This cannot be undone. Messages you sent to authorities stay there until their period ends.',
    deleteLink: 'Go to deleting the service account',
    rightsHeading: 'Your other rights',
    rightsText:
      'You can correct wrong details in your account yourself. For anything else, contact the authority; its contact details are in the privacy notice.',
    nav: 'My data',
  },
  keep: {
    title: 'Keep organisation account',
    heading: 'Keep organisation account',
    text: (name: string) =>
      `The organisation account “${name}” was not used for a long time and is therefore due to be deleted. Do you want to keep it?`,
    submit: 'Keep organisation account',
    doneTitle: 'The organisation account stays',
    doneText: 'The deletion is stopped. The period starts again.',
    invalid: 'This link is no longer valid. Perhaps the deletion was stopped already.',
  },
};
