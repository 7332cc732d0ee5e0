// Texts of the page where a service account manages its personal API tokens (for the
// command-line program `amtsbote fetch`), German. The English file has the same keys.
export const accountTokensDe = {
  nav: 'Zugangsschlüssel',
  title: 'Zugangsschlüssel für Programme',
  intro:
    'Mit einem Zugangsschlüssel lädt ein Programm wie „amtsbote fetch“ Nachrichten herunter, die an Ihr Konto gerichtet sind (Sicherheitsstufe 2). Der Schlüssel erlaubt nur das Lesen und Herunterladen dieser Nachrichten. Ändern kann er nichts: keine Einstellungen, keine Schlüssel, keine Antworten.',
  keepSecret:
    'Behandeln Sie einen Zugangsschlüssel wie ein Passwort. Widerrufen Sie ihn, sobald Sie ihn nicht mehr brauchen oder jemand anderes ihn kennen könnte.',
  createHeading: 'Neuen Zugangsschlüssel anlegen',
  name: 'Name',
  nameHint: 'Woran Sie ihn wiedererkennen, zum Beispiel „Laptop im Büro“. Höchstens 100 Zeichen.',
  nameMissing: 'Bitte geben Sie einen Namen ein (höchstens 100 Zeichen).',
  expiry: 'Gültig',
  expiryHint: 'Nach Ablauf funktioniert der Schlüssel nicht mehr.',
  expiryNever: 'bis Sie ihn widerrufen',
  expiryDays: (n: number) => `${n} Tage`,
  expiryInvalid: 'Bitte wählen Sie eine der Möglichkeiten.',
  create: 'Zugangsschlüssel anlegen',
  createdTitle: 'Ihr neuer Zugangsschlüssel',
  createdText:
    'Kopieren Sie den Schlüssel jetzt. Er wird nur dieses eine Mal angezeigt; wir speichern ihn nicht lesbar.',
  secretLabel: 'Zugangsschlüssel',
  usage: 'So verwenden Sie ihn:',
  caption: 'Ihre Zugangsschlüssel',
  none: 'Sie haben noch keinen Zugangsschlüssel.',
  created: 'Angelegt',
  lastUsed: 'Zuletzt benutzt',
  expires: 'Läuft ab',
  noExpiry: 'nie',
  action: 'Aktion',
  revoke: 'Widerrufen',
};

export type AccountTokensMessages = typeof accountTokensDe;
