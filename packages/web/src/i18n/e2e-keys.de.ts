// Texts of the personal-key page and of end-to-end transfers (levels 3 and 4), German. The
// English file has the same keys (e2e-keys.en.ts).
export const e2eKeysDe = {
  nav: 'Schlüssel',
  level3: 'Stufe 3: Ende-zu-Ende-verschlüsselte Dateien',
  level3Text:
    'Die Dateien werden schon in Ihrem Browser verschlüsselt. Nur die Empfänger und Sie selbst können sie öffnen; wir prüfen sie nicht auf Schadsoftware.',
  level4: 'Stufe 4: Ende-zu-Ende-verschlüsselt, auch der Text',
  level4Text:
    'Wie Stufe 3, zusätzlich sind der Nachrichtentext und die Dateinamen verschlüsselt. Der Betreff bleibt lesbar: Schreiben Sie dort nichts Vertrauliches.',
  keys: {
    title: 'Ihr persönlicher Schlüssel',
    intro:
      'Mit Ihrem persönlichen Schlüssel öffnen Sie Ende-zu-Ende-verschlüsselte Nachrichten (Stufe 3 und 4). Der Schlüssel entsteht in Ihrem Browser. Wir speichern ihn nur verschlüsselt mit Ihrer Schlüssel-Passphrase und mit einem Wiederherstellungscode; beides kennen nur Sie.',
    noScript: 'Für den Schlüssel brauchen Sie JavaScript in einem aktuellen Browser.',
    createHeading: 'Schlüssel anlegen',
    warning:
      'Wichtig: Wenn Sie die Schlüssel-Passphrase und den Wiederherstellungscode beide verlieren, kann niemand – auch wir nicht – Ihre bisherigen Ende-zu-Ende-verschlüsselten Nachrichten wieder lesbar machen.',
    passphrase: 'Schlüssel-Passphrase',
    passphraseHint: 'Mindestens 12 Zeichen. Nicht dasselbe wie Ihr Anmelde-Passwort.',
    passphraseRepeat: 'Schlüssel-Passphrase wiederholen',
    understood:
      'Ich habe verstanden: Ohne Passphrase und Wiederherstellungscode sind alte verschlüsselte Inhalte verloren.',
    create: 'Schlüssel anlegen',
    working: 'Bitte warten, der Schlüssel wird berechnet …',
    recoveryHeading: 'Ihr Wiederherstellungscode',
    recoveryText:
      'Drucken Sie diesen Code aus oder schreiben Sie ihn ab und bewahren Sie ihn sicher auf. Er wird nur jetzt angezeigt.',
    print: 'Drucken',
    recoveryKept: 'Ich habe den Wiederherstellungscode sicher aufbewahrt.',
    done: 'Weiter',
    unlockHeading: 'Schlüssel entsperren',
    unlockText:
      'Geben Sie Ihre Schlüssel-Passphrase ein. Der Schlüssel bleibt bis zur Abmeldung in diesem Browser entsperrt und wird nie an uns übertragen.',
    unlock: 'Entsperren',
    unlocked: 'Ihr Schlüssel ist entsperrt.',
    locked: 'Ihr Schlüssel ist gesperrt.',
    lock: 'Jetzt sperren',
    wrongPassphrase: 'Die Passphrase ist falsch.',
    wrongCode: 'Der Wiederherstellungscode ist falsch.',
    tooShort: 'Die Passphrase ist zu kurz (mindestens 12 Zeichen).',
    mismatch: 'Die beiden Passphrasen stimmen nicht überein.',
    notUnderstood: 'Bitte bestätigen Sie den Hinweis.',
    changeHeading: 'Passphrase ändern',
    changeText: 'Der Schlüssel bleibt derselbe; er wird nur mit der neuen Passphrase neu verschlüsselt.',
    current: 'Bisherige Passphrase',
    newPassphrase: 'Neue Schlüssel-Passphrase',
    change: 'Passphrase ändern',
    changed: 'Die Passphrase wurde geändert.',
    recoverHeading: 'Passphrase vergessen?',
    recoverText: 'Mit Ihrem Wiederherstellungscode legen Sie eine neue Passphrase fest.',
    recoveryCode: 'Wiederherstellungscode',
    recover: 'Neue Passphrase festlegen',
    publicKey: 'Öffentlicher Schlüssel',
    created: 'Angelegt',
    failed: 'Das hat nicht geklappt. Bitte versuchen Sie es noch einmal.',
    errorTitle: 'Bitte prüfen Sie Ihre Eingaben',
    backTo: 'Zurück zur Nachricht',
    fingerprint: 'Fingerabdruck',
    fingerprintHint:
      'Der Fingerabdruck gehört zu Ihrem Schlüssel und Ihrer Adresse. Vergleichen Sie ihn mit dem, den die Behörde oder Ihr Gegenüber sieht: Stimmen alle Ziffern überein, ist es Ihr Schlüssel.',
    /** One group of the fingerprint read out (the page spaces its digits: read one by one). */
    fingerprintGroup: (n: number, digits: string) => `Gruppe ${String(n)}: ${digits}`,
  },
  open: {
    heading: 'Ende-zu-Ende-verschlüsselt',
    intro:
      'Diese Nachricht ist Ende-zu-Ende-verschlüsselt. Sie wird erst hier in Ihrem Browser mit Ihrem persönlichen Schlüssel geöffnet.',
    notScanned: 'Nicht auf Schadsoftware geprüft (Ende-zu-Ende-verschlüsselt).',
    noKey:
      'Sie haben noch keinen persönlichen Schlüssel. Legen Sie ihn an; danach gibt die Absenderseite die Nachricht für Sie frei.',
    createKey: 'Schlüssel anlegen',
    waiting:
      'Warten auf die Absenderseite: Sobald die Absenderin oder der Absender wieder angemeldet ist, wird die Nachricht für Ihren Schlüssel freigegeben. Sie bekommen dann eine E-Mail.',
    locked: 'Entsperren Sie Ihren Schlüssel, um die Nachricht zu öffnen.',
    unlockKey: 'Schlüssel entsperren',
    opening: 'Die Nachricht wird entschlüsselt …',
    opened: 'Die Nachricht ist entschlüsselt.',
    failed:
      'Entschlüsselung fehlgeschlagen: Der Schlüssel passt nicht oder die Daten wurden verändert. Es wurde nichts gespeichert.',
    encryptedText: 'Der Nachrichtentext ist verschlüsselt.',
    filesCaption: 'Dateien (Ende-zu-Ende-verschlüsselt)',
    name: 'Datei',
    size: 'Größe',
    action: 'Aktion',
    save: (name: string) => `${name} entschlüsseln und speichern`,
    saving: (name: string) => `${name} wird entschlüsselt …`,
    saved: (name: string) => `${name} wurde gespeichert.`,
    noStreaming:
      'Dieser Browser kann große Dateien nicht entschlüsselt speichern. Bitte nutzen Sie einen aktuellen Chromium-, Edge- oder Firefox-Browser oder das Kommandozeilenprogramm: amtsbote fetch LINK --identity DATEI',
  },
  compose: {
    encrypting: 'Die Dateien werden in Ihrem Browser verschlüsselt und hochgeladen …',
    noOwnKey:
      'Für Stufe 3 und 4 brauchen Sie einen entsperrten persönlichen Schlüssel. Öffnen Sie „Schlüssel“ und entsperren Sie ihn.',
    pendingNote: (emails: string) =>
      `Noch ohne Schlüssel: ${emails}. Sie bekommen die Nachricht, sobald sie einen Schlüssel angelegt haben und Sie wieder angemeldet sind.`,
  },
  rewrap: {
    done: (n: number) =>
      n === 1
        ? 'Eine Nachricht wurde für einen neuen Schlüssel freigegeben.'
        : `${String(n)} Nachrichten wurden für neue Schlüssel freigegeben.`,
  },
};

export type E2eKeysMessages = typeof e2eKeysDe;
