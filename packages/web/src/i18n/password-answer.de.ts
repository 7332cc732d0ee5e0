// Texts of the answer to a password drop-off, German: the caseworker encrypts the answer to the
// password the sender chose (islands/inbox-answer.ts), and the sender opens it with that password
// (islands/password-open.ts). The English file has the same keys (password-answer.en.ts).
export const passwordAnswerDe = {
  answer: {
    option: 'Stufe 4: mit dem Passwort der Nachricht verschlüsseln',
    optionHint:
      'Text, Dateinamen und Dateien werden hier in Ihrem Browser mit dem Passwort verschlüsselt, das die Person beim Senden selbst gewählt hat. Sie öffnet die Antwort mit diesem Passwort und braucht kein Konto. Der Betreff bleibt lesbar: Schreiben Sie dort nichts Vertrauliches.',
    password: 'Passwort der Nachricht',
    passwordHint:
      'Dasselbe Passwort, mit dem Sie die Nachricht geöffnet haben. Es wird geprüft und verlässt Ihren Browser nicht.',
    passwordMissing: 'Bitte geben Sie das Passwort der Nachricht ein.',
    passwordWrong:
      'Dieses Passwort öffnet die Nachricht nicht. Die Antwort muss mit genau diesem Passwort verschlüsselt werden, sonst kann die Person sie nicht öffnen.',
    checking: 'Das Passwort wird geprüft …',
    encrypting: 'Die Antwort wird in Ihrem Browser verschlüsselt und hochgeladen …',
    failed: 'Das Senden hat nicht geklappt. Bitte versuchen Sie es noch einmal.',
    noReply:
      'Auf eine mit Passwort verschlüsselte Antwort kann die Person nicht direkt antworten; sie kann Ihnen aber jederzeit eine neue Nachricht schicken.',
  },
  open: {
    level: 'Stufe 4: mit Ihrem Passwort verschlüsselt',
    levelText:
      'Text, Dateinamen und Dateien sind Ende-zu-Ende-verschlüsselt mit dem Passwort, das Sie beim Senden Ihrer Nachricht selbst gewählt haben. Nur wer dieses Passwort kennt, kann die Antwort öffnen – auch wir nicht.',
    senderLevel: 'Stufe 4: mit dem Passwort der Nachricht verschlüsselt',
    senderLevelText:
      'Text, Dateinamen und Dateien sind Ende-zu-Ende-verschlüsselt mit dem Passwort, das die Person für ihre Nachricht gewählt hat. Sie öffnet die Antwort damit, ohne Konto.',
    heading: 'Mit Ihrem Passwort öffnen',
    intro:
      'Geben Sie das Passwort ein, das Sie beim Senden Ihrer Nachricht gewählt haben. Die Antwort wird damit hier in Ihrem Browser entschlüsselt. Das Passwort wird nicht an uns übertragen.',
    password: 'Ihr Passwort',
    senderIntro:
      'Diese Antwort ist mit dem Passwort der Nachricht verschlüsselt, auf die sie antwortet. Mit diesem Passwort können Sie sie hier öffnen; es verlässt Ihren Browser nicht.',
    senderPassword: 'Passwort der Nachricht',
    submit: 'Antwort öffnen',
    working: 'Das Passwort wird geprüft. Das dauert einen Moment …',
    missing: 'Bitte geben Sie Ihr Passwort ein.',
    wrong:
      'Das Passwort stimmt nicht. Es wurde nichts entschlüsselt. Bitte achten Sie auf Groß- und Kleinschreibung und versuchen Sie es noch einmal.',
    errorTitle: 'Die Antwort konnte nicht geöffnet werden',
    forgotten: (tenant: string) =>
      `Passwort vergessen? Dann kann niemand die Antwort öffnen, auch wir nicht. Bitte wenden Sie sich an ${tenant}.`,
    jsTitle: 'JavaScript ist nötig',
    jsText:
      'Die Antwort wird in Ihrem Browser mit Ihrem Passwort entschlüsselt. Dafür braucht diese Seite JavaScript in einem aktuellen Browser.',
  },
};

export type PasswordAnswerMessages = typeof passwordAnswerDe;
