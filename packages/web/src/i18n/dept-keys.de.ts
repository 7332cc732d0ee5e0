// Department keys (pages/dept-keys.ts, islands/dept-keys.ts, the department parts of
// islands/e2e-open.ts). The English file has the same keys (dept-keys.en.ts).
export const deptKeysDe = {
  page: {
    title: (name: string) => `Schlüssel der Abteilung ${name}`,
    back: 'Zurück',
    intro:
      'Mit dem Schlüssel der Abteilung verschlüsseln Bürgerinnen und Bürger Uploads der Stufen 3 und 4 schon in ihrem Browser. Öffnen können sie nur Mitglieder der Abteilung mit ihrem persönlichen Schlüssel. Der Server sieht den privaten Schlüssel nie.',
    noKey: 'Die Abteilung hat noch keinen Schlüssel.',
    noKeyText:
      'Uploads der Stufen 3 und 4 an diese Abteilung sind erst möglich, wenn es einen Schlüssel gibt.',
    publicKey: 'Öffentlicher Schlüssel',
    created: 'Erzeugt am',
    createHeading: 'Schlüssel erzeugen',
    replaceHeading: 'Neuen Schlüssel erzeugen',
    createText:
      'Ihr Browser erzeugt das Schlüsselpaar und verschlüsselt den privaten Schlüssel für jedes Mitglied, das schon einen persönlichen Schlüssel hat. Mitglieder, die ihren persönlichen Schlüssel später anlegen, bekommen ihren Zugang automatisch, sobald ein anderes Mitglied mit entsperrtem Schlüssel angemeldet ist.',
    replaceText:
      'Ein neuer Schlüssel gilt für alles, was ab jetzt hochgeladen wird. Was mit dem alten Schlüssel verschlüsselt wurde, bleibt für die bisherigen Mitglieder lesbar.',
    create: 'Schlüssel erzeugen',
    replace: 'Neuen Schlüssel erzeugen',
    membersCaption: 'Mitglieder und ihr Zugang',
    colName: 'Name',
    colEmail: 'E-Mail-Adresse',
    colPersonalKey: 'Persönlicher Schlüssel',
    colAccess: 'Zugang zum Abteilungsschlüssel',
    yes: 'vorhanden',
    none: 'noch keiner',
    access: 'ja',
    waiting: 'wartet auf ein Mitglied mit entsperrtem Schlüssel',
    noMembers: 'Die Abteilung hat keine Mitglieder.',
    noKeyHolders:
      'Noch kein Mitglied hat einen persönlichen Schlüssel. Erzeugen Sie den Abteilungsschlüssel, wenn mindestens ein Mitglied einen hat – sonst kann niemand die Uploads öffnen.',
    ownKey: 'Ihr persönlicher Schlüssel',
  },
  island: {
    working: 'Der Schlüssel wird in Ihrem Browser erzeugt …',
    noHolders: 'Kein Mitglied hat einen persönlichen Schlüssel. Der Schlüssel wurde nicht erzeugt.',
    done: (n: number) =>
      n === 1
        ? 'Der Schlüssel ist erzeugt und für 1 Mitglied verschlüsselt.'
        : `Der Schlüssel ist erzeugt und für ${String(n)} Mitglieder verschlüsselt.`,
    failed: 'Der Schlüssel konnte nicht erzeugt werden. Bitte versuchen Sie es noch einmal.',
    confirmReplace: 'Wirklich einen neuen Schlüssel erzeugen?',
  },
  open: {
    waitingShare:
      'Sie haben noch keinen Zugang zum Schlüssel der Abteilung. Sobald ein anderes Mitglied mit entsperrtem Schlüssel angemeldet ist, bekommen Sie ihn automatisch.',
  },
};

export type DeptKeysMessages = typeof deptKeysDe;
