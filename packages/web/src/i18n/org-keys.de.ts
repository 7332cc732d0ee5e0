// Texts of the organisation's key (levels 3 and 4 in the organisation's postbox) and of the
// organisation picker on the compose page, German. The English file has the same keys.
export const orgKeysDe = {
  nav: 'Schlüssel',
  title: 'Schlüssel der Organisation',
  intro:
    'Mit dem Schlüssel der Organisation öffnen alle Mitglieder Ende-zu-Ende-verschlüsselte Nachrichten (Stufe 3 und 4) im Postfach der Organisation. Er entsteht im Browser einer Administratorin oder eines Administrators. Für jedes bestätigte Mitglied wird er mit dessen persönlichem Schlüssel verschlüsselt. Wir können ihn nicht lesen.',
  noScript: 'Für den Schlüssel der Organisation brauchen Sie JavaScript in einem aktuellen Browser.',
  statusHeading: 'Stand',
  none: 'Die Organisation hat noch keinen Schlüssel. Bis dahin können verschlüsselte Nachrichten an die Organisation nicht geöffnet werden.',
  noneMember:
    'Die Organisation hat noch keinen Schlüssel. Eine Administratorin oder ein Administrator der Organisation legt ihn an.',
  exists: 'Die Organisation hat einen Schlüssel.',
  publicKey: 'Öffentlicher Schlüssel',
  hasShare: 'Sie haben Zugriff auf den Schlüssel der Organisation.',
  noShare:
    'Für Sie ist der Schlüssel der Organisation noch nicht freigegeben. Das erledigt der Browser eines Mitglieds, das ihn schon hat, sobald es angemeldet ist und seinen persönlichen Schlüssel entsperrt hat. Sie selbst brauchen dafür einen persönlichen Schlüssel.',
  waiting: (n: number) =>
    n === 1
      ? 'Ein Mitglied wartet noch auf den Schlüssel der Organisation.'
      : `${String(n)} Mitglieder warten noch auf den Schlüssel der Organisation.`,
  createHeading: 'Schlüssel anlegen',
  createText:
    'Der Schlüssel entsteht in Ihrem Browser. Dafür muss Ihr persönlicher Schlüssel entsperrt sein. Die anderen Mitglieder bekommen ihn danach automatisch, sobald sie einen persönlichen Schlüssel haben.',
  create: 'Schlüssel der Organisation anlegen',
  creating: 'Bitte warten, der Schlüssel wird angelegt …',
  created: 'Der Schlüssel der Organisation ist angelegt.',
  locked: 'Ihr persönlicher Schlüssel ist nicht entsperrt.',
  unlock: 'Persönlichen Schlüssel entsperren',
  noPersonalKey: 'Sie haben noch keinen persönlichen Schlüssel.',
  createPersonalKey: 'Persönlichen Schlüssel anlegen',
  shared: (n: number) =>
    n === 1
      ? 'Der Schlüssel wurde gerade für ein Mitglied freigegeben.'
      : `Der Schlüssel wurde gerade für ${String(n)} Mitglieder freigegeben.`,
  failed: 'Das hat nicht geklappt. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.',
  /** On a message in the organisation's postbox (the e2e-open section). */
  openNoShare:
    'Der Schlüssel der Organisation ist für Sie noch nicht freigegeben. Sobald ein anderes Mitglied mit entsperrtem Schlüssel angemeldet ist, geschieht das automatisch.',
  openKeysPage: 'Zum Schlüssel der Organisation',
  picker: {
    label: 'Organisation',
    hint: 'Statt einer E-Mail-Adresse: Geben Sie einen Teil des Namens ein und wählen Sie die Organisation aus der Liste. Die Nachricht kommt in das Postfach der Organisation.',
    notFound: (name: string) =>
      `Die Organisation „${name}“ ist nicht bekannt. Bitte wählen Sie eine aus der Liste.`,
    found: (n: number) => (n === 1 ? '1 Organisation gefunden.' : `${String(n)} Organisationen gefunden.`),
  },
};

export type OrgKeysMessages = typeof orgKeysDe;
