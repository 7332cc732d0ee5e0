// Words for retention, deletion and data-subject rights (issue 7), in German. en.ts's twin is
// privacy-rights.en.ts; both are added to the catalogue under `retention`.

const days = (n: number): string =>
  n % 365 === 0 ? (n === 365 ? '1 Jahr' : `${n / 365} Jahre`) : n === 1 ? '1 Tag' : `${n} Tage`;

export const privacyRightsDe = {
  rules: {
    'transfers.content': {
      what: 'Nachrichten und Dateien',
      period: (d: number) =>
        `bis zum Ablauf der Frist, die beim Versand gewählt wurde (sonst ${days(d)} nach dem Versand). Dann werden Inhalt, Dateien und Schlüssel gelöscht.`,
    },
    'dropoff.content': {
      what: 'Nachrichten und Dateien, die Sie ohne Konto an eine Abteilung schicken',
      period: (d: number) => `bis zum Ablauf der gewählten Frist (sonst ${days(d)} nach dem Absenden).`,
    },
    'dropoff.guest-contact': {
      what: 'Ihre Kontaktdaten als Absenderin oder Absender ohne Konto',
      period: () => 'genau so lange wie Ihre Nachricht. Sie werden mit dem Inhalt gelöscht.',
    },
    'transfers.metadata': {
      what: 'Angaben zum Versand ohne Inhalt (wer, wann, an wen, abgerufen)',
      period: (d: number) => `noch ${days(d)}, nachdem der Inhalt gelöscht wurde.`,
    },
    'transfers.drafts': {
      what: 'Entwürfe, die nie verschickt wurden',
      period: (d: number) => `${days(d)} nach dem Anlegen.`,
    },
    'accounts.inactive': {
      what: 'Servicekonten mit allen ihren Daten',
      period: (d: number, warn: number) =>
        `werden gelöscht, wenn sie ${days(d)} nicht benutzt wurden. ${days(warn)} vorher bekommen Sie eine E-Mail. Wenn Sie sich anmelden, bleibt das Konto bestehen.`,
    },
    'organisations.inactive': {
      what: 'Organisationskonten',
      period: (d: number, warn: number) =>
        `werden gelöscht, wenn sie ${days(d)} nicht benutzt wurden. ${days(warn)} vorher kündigen wir das per E-Mail an. Mit dem Link in der E-Mail können Sie die Löschung stoppen.`,
    },
    'organisations.membership-log': {
      what: 'Protokoll, wer wann Zugriff auf ein Organisationskonto hatte',
      period: () =>
        'einmal im Jahr bekommen die Administratorinnen und Administratoren eine Übersicht. Danach wird das Protokoll gelöscht.',
    },
    'organisations.invitations': {
      what: 'Einladungen in Organisationskonten, die nicht angenommen wurden',
      period: (d: number) => `${days(d)} nach ihrem Ablauf.`,
    },
    'organisations.notices': {
      what: 'Mitteilungen im Postfach eines Organisationskontos (zum Beispiel: ein Mitglied ist gegangen)',
      period: (d: number) => `${days(d)} nach dem Eingang.`,
    },
    'uploadlinks.expired': {
      what: 'Upload-Links von Mitarbeitenden (mit der Adresse, an die sie gingen)',
      period: (d: number) => `${days(d)} nach ihrem Ablauf.`,
    },
    'stats.daily': {
      what: 'Zahlen zur Nutzung pro Tag (ohne personenbezogene Daten)',
      period: (d: number) => `${days(d)}.`,
    },
    'audit.events': {
      what: 'Protokoll wichtiger Vorgänge (mit gekürzter IP-Adresse)',
      period: (d: number) => `${days(d)}.`,
    },
    sessions: {
      what: 'Anmeldungen (Sitzungen), Codes, Anmelde-Links und Zugangsschlüssel für Programme',
      period: () =>
        'höchstens 24 Stunden; Codes und Links einen Tag nach ihrem Ablauf; abgelaufene Zugangsschlüssel 30 Tage nach ihrem Ablauf.',
    },
    'feedback.accessibility': {
      what: 'Rückmeldungen zur Barrierefreiheit',
      period: (d: number) => `${days(d)} nach dem Eingang.`,
    },
    'access-log': {
      what: 'Zugriffsprotokolle mit vollständiger IP-Adresse',
      period: (d: number) =>
        d === 0
          ? 'werden nicht geschrieben.'
          : `werden zur Abwehr von Angriffen geschrieben, ${days(d)} lang aufbewahrt und dann gelöscht.`,
    },
    'jobs.records': {
      what: 'Protokoll der Hintergrundaufgaben (ohne personenbezogene Daten)',
      period: (d: number) => `${days(d)}.`,
    },
    'applications.drafts': {
      what: 'Online-Anträge, die noch nicht eingereicht wurden',
      period: (d: number) => `${days(d)} nach der letzten Bearbeitung.`,
    },
    'applications.cases': {
      what: 'Abgeschlossene Online-Anträge',
      period: (d: number) => `${days(d)} nach dem Abschluss.`,
    },
  } as Record<string, { what: string; period: (days: number, warnDays: number) => string } | undefined>,
  fallbackPeriod: (d: number) => `${days(d)}.`,
  privacyHeading: 'Wie lange wir Daten speichern',
  privacyIntro:
    'Diese Fristen sind die Einstellungen, mit denen das Portal gerade arbeitet. Es löscht die Daten danach selbst: Inhalte, Dateien und Schlüssel werden wirklich entfernt, nicht nur versteckt.',
  admin: {
    title: 'Speicherfristen und Datenschutz',
    heading: 'Speicherfristen und Datenschutz',
    intro:
      'Jedes Modul meldet hier an, was es speichert und wie lange. Das Portal löscht danach selbst. Die Datenschutzerklärung zeigt genau diese Werte.',
    tableCaption: 'Speicherfristen',
    colWhat: 'Daten',
    colPeriod: 'Frist',
    colDays: 'Tage',
    colDefault: 'Standard',
    fixed: 'fest',
    rangeHint: (min: number, max: number) => `${min} bis ${max} Tage`,
    save: 'Fristen speichern',
    saved: 'Die Fristen wurden gespeichert.',
    invalid: (min: number, max: number) => `Bitte geben Sie eine ganze Zahl von ${min} bis ${max} ein.`,
    statsHeading: 'Nutzung (Zahlen pro Tag)',
    statsIntro:
      'Nur Zahlen aus der Datenbank: keine Cookies, keine IP-Adressen, keine Namen. Die letzten 30 Tage.',
    statsCaption: 'Nutzung pro Tag',
    colDay: 'Tag',
    metric: {
      transfers_sent: 'Nachrichten verschickt',
      dropoffs: 'Nachrichten ohne Konto',
      uploads: 'Uploads über Links',
      downloads: 'Downloads',
      active_accounts: 'Aktive Servicekonten',
    } as Record<string, string>,
    total: 'Summe',
    requestsHeading: 'Anfragen von Betroffenen',
    requestsIntro:
      'Möchte jemand Auskunft über die eigenen Daten (Artikel 15 DSGVO) oder deren Löschung (Artikel 17 DSGVO)? Geben Sie die E-Mail-Adresse des Servicekontos ein. Beides wird im Protokoll festgehalten.',
    requestEmail: 'E-Mail-Adresse',
    exportSubmit: 'Daten als ZIP herunterladen',
    deleteSubmit: 'Servicekonto mit allen Daten löschen',
    deleteConfirm: 'Ja, ich möchte dieses Servicekonto unwiderruflich löschen.',
    noAccount:
      'Zu dieser E-Mail-Adresse gibt es kein Servicekonto. Die Auskunft enthält nur Nachrichten an diese Adresse.',
    confirmMissing: 'Bitte bestätigen Sie die Löschung.',
    emailInvalid: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
    notFound: 'Zu dieser E-Mail-Adresse gibt es kein Servicekonto.',
    nav: 'Datenschutz und Fristen',
  },
  myData: {
    title: 'Meine Daten',
    heading: 'Meine Daten',
    intro: 'Hier bekommen Sie alle Daten, die das Portal über Sie speichert, oder löschen Ihr Servicekonto.',
    exportHeading: 'Alle Daten herunterladen',
    exportText:
      'Sie bekommen eine ZIP-Datei. Darin sind: Ihr Profil, Ihre Anmeldungen, Ihre Organisationen, die Angaben zu Ihren Nachrichten, das Protokoll über Ihr Konto und alle Dateien, die noch abrufbar sind. Eine Datei LIESMICH erklärt alles.',
    exportSubmit: 'Meine Daten herunterladen (ZIP)',
    deleteHeading: 'Servicekonto löschen',
    deleteText:
      'Wenn Sie Ihr Servicekonto löschen, entfernen wir es mit allen Daten. Das kann man nicht rückgängig machen. Nachrichten, die Sie an Behörden geschickt haben, bleiben dort bis zum Ende ihrer Frist.',
    deleteLink: 'Zum Löschen des Servicekontos',
    rightsHeading: 'Ihre weiteren Rechte',
    rightsText:
      'Falsche Angaben können Sie in Ihrem Konto selbst ändern. Für alles andere wenden Sie sich an die Behörde; die Kontaktdaten stehen in der Datenschutzerklärung.',
    nav: 'Meine Daten',
  },
  keep: {
    title: 'Organisationskonto behalten',
    heading: 'Organisationskonto behalten',
    text: (name: string) =>
      `Das Organisationskonto „${name}“ wurde lange nicht benutzt und soll deshalb gelöscht werden. Möchten Sie es behalten?`,
    submit: 'Organisationskonto behalten',
    doneTitle: 'Das Organisationskonto bleibt bestehen',
    doneText: 'Die Löschung ist gestoppt. Die Frist beginnt von vorn.',
    invalid: 'Dieser Link gilt nicht mehr. Vielleicht wurde die Löschung schon gestoppt.',
  },
};

export type PrivacyRightsMessages = typeof privacyRightsDe;
