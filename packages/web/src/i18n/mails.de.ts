// Words of the notification mails, in German: the master, which mails.en.ts must match key for
// key. A mail travels unprotected, so these texts name who, where and until when, never a
// message's content, a file name, a password or a key. The server's mail files pick the entry,
// the link and the addressee; packages/web/src/mails/layout.ts puts the words together.

const day = (d: Date): string =>
  new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(d);

export const mailsDe = {
  greeting: 'Guten Tag,',
  /** The footer of mails that name their sender in it. */
  footerNoContentFrom: (tenantName: string) => `${tenantName} – diese E-Mail enthält keine Inhalte.`,
  footerNoContent: 'Diese E-Mail enthält keine Inhalte.',

  /** What every mail with a one-time code says besides why it was sent. */
  code: {
    // Never the code itself: a subject shows on lock screens and in notification previews.
    subject: (tenantName: string) => `Ihr Bestätigungscode für ${tenantName}`,
    validity: 'Der Code gilt 15 Minuten und nur einmal.',
    notYou: 'Wenn Sie das nicht waren, können Sie diese Nachricht löschen.',
  },

  // Staff sign-in and invitation.
  loginLink: {
    subject: (tenantName: string) => `Ihr Anmelde-Link für ${tenantName}`,
    lines: (tenantName: string) => [
      `Sie möchten sich bei ${tenantName} anmelden. Mit diesem Link geht das einmal, 15 Minuten lang:`,
    ],
    linkLabel: 'Jetzt anmelden',
    footer: 'Wenn Sie das nicht waren, können Sie diese Nachricht einfach löschen.',
  },
  staffInvitation: {
    subject: (tenantName: string) => `Einladung zu ${tenantName}`,
    lines: (tenantName: string, inviter: string) => [
      `${inviter} hat Sie als Mitarbeiterin oder Mitarbeiter bei ${tenantName} eingeladen.`,
      'Mit diesem Link legen Sie Ihr Passwort fest. Der Link gilt 7 Tage und nur einmal:',
    ],
    linkLabel: 'Einladung annehmen',
    footer: 'Wenn Sie diese Einladung nicht erwartet haben, können Sie diese Nachricht löschen.',
  },

  /** Feedback from the accessibility page, to the authority's contact for it. */
  accessibilityFeedback: {
    subject: (tenantName: string) => `Rückmeldung zur Barrierefreiheit (${tenantName})`,
    intro: (tenantName: string) => `Neue Rückmeldung zur Barrierefreiheit von ${tenantName}:`,
    name: (name: string) => `Name: ${name}`,
    email: (email: string) => `E-Mail: ${email}`,
    page: (page: string) => `Seite: ${page}`,
    notGiven: '(nicht angegeben)',
  },

  // Service accounts.
  registrationCode: {
    intro: (tenantName: string) => `Sie legen ein Servicekonto bei ${tenantName} an. Ihr Code lautet:`,
  },
  emailChangeCode: {
    intro: (tenantName: string) =>
      `Sie möchten diese Adresse für Ihr Servicekonto bei ${tenantName} verwenden. Ihr Code lautet:`,
  },
  alreadyRegistered: {
    subject: (tenantName: string) => `Ihr Servicekonto bei ${tenantName}`,
    lines: (tenantName: string) => [
      `Jemand wollte ein Servicekonto mit dieser Adresse anlegen. Sie haben bei ${tenantName} aber schon eines. Melden Sie sich damit an. Haben Sie Ihr Passwort vergessen, können Sie dort ein neues festlegen.`,
    ],
    linkLabel: 'Zur Anmeldung',
    footer: 'Wenn Sie das nicht waren, können Sie diese Nachricht löschen. Ihr Konto ist unverändert.',
  },
  passwordReset: {
    subject: (tenantName: string) => `Neues Passwort für Ihr Servicekonto bei ${tenantName}`,
    lines: ['Sie möchten ein neues Passwort festlegen. Mit diesem Link geht das einmal, eine Stunde lang:'],
    linkLabel: 'Neues Passwort festlegen',
    footer:
      'Wenn Sie das nicht waren, können Sie diese Nachricht löschen. Ihr Passwort bleibt dann unverändert.',
  },
  emailChanged: {
    subject: (tenantName: string) =>
      `Die E-Mail-Adresse Ihres Servicekontos bei ${tenantName} wurde geändert`,
    lines: (newEmail: string) => [
      `Ihr Servicekonto verwendet ab jetzt die Adresse ${newEmail}. Waren Sie das nicht, melden Sie sich bitte bei der Behörde.`,
    ],
    linkLabel: 'Zum Portal',
  },
  identityCode: {
    intro: (tenantName: string, service: string) =>
      `Sie haben sich bei ${tenantName} mit ${service} angemeldet und möchten diese E-Mail-Adresse für Ihr Servicekonto verwenden. Ihr Code lautet:`,
    /** Stands for the service in the intro when the configuration gives it no name. */
    defaultService: 'dem Identitätsdienst',
    linked: 'Hat diese Adresse schon ein Servicekonto, wird die Anmeldung damit verbunden.',
    notYou: 'Wenn Sie das nicht waren, geben Sie den Code nicht weiter und löschen Sie diese Nachricht.',
  },

  // Deletion for inactivity (retention).
  accountInactivity: {
    subject: (tenantName: string) => `Ihr Servicekonto bei ${tenantName} wird bald gelöscht`,
    lines: (tenantName: string, lastActive: Date, dueAt: Date) => [
      `Sie haben Ihr Servicekonto bei ${tenantName} seit dem ${day(lastActive)} nicht benutzt.`,
      `Konten, die lange nicht benutzt werden, löschen wir mit allen Daten. Ihr Konto wird am ${day(dueAt)} gelöscht.`,
      'Wenn Sie Ihr Konto behalten möchten, melden Sie sich einfach vorher einmal an:',
    ],
    linkLabel: 'Jetzt anmelden',
    footer: 'Wenn Sie das Konto nicht mehr brauchen, müssen Sie nichts tun.',
  },
  organisationDeletion: {
    subject: (organisation: string) => `Das Organisationskonto „${organisation}“ wird gelöscht`,
    lines: (organisation: string, tenantName: string, dueAt: Date) => [
      `Das Organisationskonto „${organisation}“ bei ${tenantName} wurde lange nicht benutzt.`,
      `Es wird deshalb am ${day(dueAt)} mit allen Daten gelöscht.`,
      'Wenn Sie es behalten möchten, stoppen Sie die Löschung mit diesem Link:',
    ],
    linkLabel: 'Löschung stoppen',
    footer: 'Wenn Sie das Organisationskonto nicht mehr brauchen, müssen Sie nichts tun.',
  },

  // Keys.
  keyReady: {
    subject: (tenantName: string) =>
      `Ihre vertrauliche Nachricht von ${tenantName} kann jetzt geöffnet werden`,
    lines: [
      'die Absenderseite hat die Nachricht für Ihren Schlüssel freigegeben.',
      'Öffnen Sie sie über den Link aus der ersten E-Mail oder melden Sie sich in Ihrem Konto an.',
    ],
    linkLabel: 'Zum Konto',
  },

  /** To the owner after their personal key was replaced (the fingerprint is public, no secret). */
  keyReplaced: {
    subject: (tenantName: string) => `Ihr persönlicher Schlüssel bei ${tenantName} wurde ersetzt`,
    lines: (tenantName: string, fingerprint: string | undefined) => [
      `Ihr persönlicher Schlüssel für vertrauliche Nachrichten bei ${tenantName} wurde soeben durch einen neuen ersetzt. Nachrichten an Sie werden ab jetzt für den neuen Schlüssel verschlüsselt.`,
      ...(fingerprint === undefined ? [] : [`Der Fingerabdruck des neuen Schlüssels lautet: ${fingerprint}`]),
      'Waren Sie das nicht? Dann melden Sie sich bitte sofort an, ersetzen Sie den Schlüssel noch einmal durch einen eigenen und wenden Sie sich an die Behörde.',
    ],
    linkLabel: 'Zu Ihrem Schlüssel',
    footer: 'Wenn Sie das waren, müssen Sie nichts tun. Diese E-Mail enthält keine Inhalte.',
  },

  // What comes in: drop-offs, upload links, the department postbox.
  inboundArrived: {
    subject: (department: string) => `Neuer Eingang im Postfach ${department}`,
    dropoff: (department: string) =>
      `Im Postfach ${department} ist eine neue vertrauliche Nachricht angekommen.`,
    upload: (department: string) => `Im Postfach ${department} sind angeforderte Unterlagen angekommen.`,
    linkLabel: 'Eingang öffnen',
  },
  inboundReceived: {
    subject: (tenantName: string) => `Ihre Nachricht an ${tenantName} ist angekommen`,
    arrived: (department: string, tenantName: string) =>
      `Ihre vertrauliche Nachricht an ${department} (${tenantName}) ist angekommen.`,
    number: (number: string) => `Vorgangsnummer: ${number}`,
    keptUntil: (until: Date) =>
      `Sie bleibt bis zum ${day(until)} abrufbar. Danach werden die Nachricht, die Dateien und Ihre Kontaktdaten gelöscht.`,
    willNotify: 'Wir schreiben Ihnen, sobald jemand sie geöffnet hat.',
    footer: 'Diese E-Mail enthält keine Inhalte. Wenn Sie nichts geschickt haben, können Sie sie löschen.',
  },
  inboundRetrieved: {
    subject: 'Ihre Nachricht wurde abgerufen',
    retrieved: (number: string, department: string, tenantName: string) =>
      `Ihre Nachricht mit der Vorgangsnummer ${number} wurde von ${department} (${tenantName}) abgerufen.`,
  },
  quarantineGuest: {
    subject: 'Eine Ihrer Dateien wurde nicht zugestellt',
    infected: (department: string, number: string) =>
      `In einer Datei Ihrer Nachricht an ${department} (Vorgangsnummer ${number}) hat unser Virenscanner Schadsoftware gefunden. Die Datei wurde gesperrt und gelöscht. ${department} wurde informiert.`,
    failed: (department: string, number: string) =>
      `Eine Datei Ihrer Nachricht an ${department} (Vorgangsnummer ${number}) konnte nicht auf Schadsoftware geprüft werden, zum Beispiel weil sie zu groß ist. Sie wurde deshalb nicht zugestellt. ${department} wurde informiert.`,
    checkAndResend:
      'Bitte prüfen Sie die Datei mit einem aktuellen Virenscanner und schicken Sie sie dann noch einmal.',
  },
  quarantineStaff: {
    subject: (department: string) => `Datei gesperrt im Postfach ${department}`,
    infected: (department: string) =>
      `In einem Eingang im Postfach ${department} hat der Virenscanner Schadsoftware gefunden. Die Datei ist gesperrt und kann nicht heruntergeladen werden. Die Absenderin oder der Absender wurde informiert.`,
    failed: (department: string) =>
      `Eine Datei in einem Eingang im Postfach ${department} konnte nicht auf Schadsoftware geprüft werden. Sie ist gesperrt. Die Absenderin oder der Absender wurde informiert.`,
    linkLabel: 'Eingang öffnen',
  },
  uploadRequest: {
    subject: (tenantName: string) => `${tenantName} bittet Sie um Unterlagen`,
    asks: (requester: string, department: string, tenantName: string) =>
      `${requester} (${department}, ${tenantName}) bittet Sie, Unterlagen über unser sicheres Portal hochzuladen.`,
    howTo: 'Über den Link sehen Sie, welche Unterlagen gebraucht werden, und laden sie hoch.',
    /** Only for upload links of level 2 and up. */
    confirmFirst: 'Zur Sicherheit bestätigen Sie dort zuerst Ihre E-Mail-Adresse mit einem Code.',
    validUntil: (until: Date) => `Der Link gilt bis zum ${day(until)}.`,
    linkLabel: 'Unterlagen hochladen',
    footer: 'Diese E-Mail enthält keine Inhalte. Geben Sie den Link nicht weiter.',
  },

  // Organisation accounts.
  organisationInvitation: {
    subject: (organisation: string) => `Einladung zum Organisationskonto „${organisation}“`,
    lines: (inviter: string, tenantName: string, organisation: string, days: number) => [
      `${inviter} lädt Sie ein, im Portal von ${tenantName} für „${organisation}“ tätig zu werden.`,
      'Melden Sie sich dafür mit Ihrem Servicekonto zu dieser E-Mail-Adresse an oder legen Sie eines an. Danach muss die Administration der Organisation Ihren Zugang noch bestätigen.',
      `Der Link gilt ${days} Tage:`,
    ],
    linkLabel: 'Einladung ansehen',
    footer: 'Wenn Sie diese Einladung nicht erwartet haben, können Sie diese Nachricht löschen.',
  },
  invitationAccepted: {
    subject: (organisation: string) => `Bitte bestätigen: neuer Zugang zu „${organisation}“`,
    lines: (who: string, organisation: string) => [
      `${who} hat die Einladung zum Organisationskonto „${organisation}“ angenommen.`,
      'Bitte prüfen Sie, ob diese Person berechtigt ist, und bestätigen Sie den Zugang. Erst dann kann sie das Organisationskonto nutzen.',
    ],
    linkLabel: 'Mitglieder verwalten',
  },
  accessGranted: {
    subject: (organisation: string) => `Ihr Zugang zu „${organisation}“ ist bestätigt`,
    lines: (organisation: string) => [
      `Sie können jetzt im Namen von „${organisation}“ Nachrichten lesen und senden.`,
    ],
    linkLabel: 'Zum Organisationskonto',
  },
  postboxNotification: {
    subjectMessage: (organisation: string) => `Neue Nachricht im Postfach von „${organisation}“`,
    subjectNotice: (organisation: string) => `Neue Mitteilung im Postfach von „${organisation}“`,
    message: (organisation: string, tenantName: string) =>
      `Im Postfach des Organisationskontos „${organisation}“ ist eine neue vertrauliche Nachricht von ${tenantName} angekommen.`,
    notice: (organisation: string) =>
      `Im Postfach des Organisationskontos „${organisation}“ gibt es eine neue Mitteilung.`,
    whoCanRead: 'Mitglieder der Organisation können sie nach der Anmeldung mit ihrem Servicekonto lesen.',
    linkLabel: 'Zum Postfach',
  },

  // Transfers.
  transferNotification: {
    subject: (tenantName: string) => `Neue vertrauliche Nachricht von ${tenantName}`,
    sent: (senderName: string, tenantName: string) =>
      `${senderName} (${tenantName}) hat Ihnen eine vertrauliche Nachricht geschickt.`,
    /** From level 2 up the recipient first proves the address. */
    openWithCode:
      'Zum Öffnen bestätigen Sie Ihre E-Mail-Adresse mit einem Code, den wir Ihnen dann schicken.',
    openWithLink: 'Sie können die Nachricht und die Dateien über diesen Link öffnen.',
    availableUntil: (until: Date) =>
      `Die Nachricht ist bis zum ${day(until)} abrufbar. Danach wird sie gelöscht.`,
    linkLabel: 'Nachricht öffnen',
    footer: 'Diese E-Mail enthält keine Inhalte. Geben Sie den Link nicht weiter.',
  },
  firstDownload: {
    subject: 'Ihre Nachricht wurde heruntergeladen',
    lines: (recipient: string) => [`${recipient} hat Dateien aus Ihrer Nachricht heruntergeladen.`],
    linkLabel: 'Zum Postausgang',
  },
  replyArrived: {
    subject: 'Neue Antwort in Ihrem Postfach',
    lines: (from: string) => [`${from} hat auf Ihre Nachricht geantwortet.`],
    linkLabel: 'Antwort öffnen',
  },
  verificationCode: {
    intro: (tenantName: string) => `Ihr Bestätigungs-Code für ${tenantName} lautet:`,
  },
  passwordAnswer: {
    subject: (tenantName: string) => `Antwort auf Ihre Nachricht an ${tenantName}`,
    lines: (senderName: string, tenantName: string, until: Date) => [
      `${senderName} (${tenantName}) hat auf Ihre vertrauliche Nachricht geantwortet.`,
      'Die Antwort ist mit dem Passwort verschlüsselt, das Sie beim Senden Ihrer Nachricht selbst gewählt haben. Sie öffnen sie über den Link mit diesem Passwort.',
      `Die Antwort ist bis zum ${day(until)} abrufbar. Danach wird sie gelöscht.`,
    ],
    linkLabel: 'Antwort öffnen',
    footer: 'Diese E-Mail enthält keine Inhalte und kein Passwort. Geben Sie den Link nicht weiter.',
  },
};

export type MailMessages = typeof mailsDe;
