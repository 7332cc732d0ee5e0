// Texts of a reply at levels 3 and 4 on the recipient's page (pages/recipient.ts, islands/reply.ts),
// German. The English file has the same keys (e2e-reply.en.ts).
export const e2eReplyDe = {
  intro3:
    'Ihre Antwort geht wie diese Nachricht auf Stufe 3: Ihre Dateien werden hier in Ihrem Browser verschlüsselt, bevor sie hochgeladen werden. Öffnen können sie nur die Absenderin oder der Absender und Sie selbst. Wir prüfen sie nicht auf Schadsoftware.',
  intro4:
    'Ihre Antwort geht wie diese Nachricht auf Stufe 4: Text, Dateien und Dateinamen werden hier in Ihrem Browser verschlüsselt. Öffnen können sie nur die Absenderin oder der Absender und Sie selbst. Der Betreff bleibt lesbar: Schreiben Sie dort nichts Vertrauliches.',
  orgIntro3:
    'Die Antwort geht wie diese Nachricht auf Stufe 3: Die Dateien werden hier in Ihrem Browser verschlüsselt, bevor sie hochgeladen werden. Öffnen können sie nur die Absenderin oder der Absender und die Mitglieder Ihrer Organisation. Wir prüfen sie nicht auf Schadsoftware.',
  orgIntro4:
    'Die Antwort geht wie diese Nachricht auf Stufe 4: Text, Dateien und Dateinamen werden hier in Ihrem Browser verschlüsselt. Öffnen können sie nur die Absenderin oder der Absender und die Mitglieder Ihrer Organisation. Der Betreff bleibt lesbar: Schreiben Sie dort nichts Vertrauliches.',
  noOrganisationKey:
    'Ihre Organisation hat noch keinen Schlüssel. Eine Ende-zu-Ende-verschlüsselte Antwort ist deshalb nicht möglich. Sie können auf Stufe 2 antworten.',
  fallback: 'Auf Stufe 2 antworten (nicht Ende-zu-Ende-verschlüsselt)',
  fallbackHint:
    'Dann liest unser Server Ihre Antwort beim Speichern mit und verschlüsselt sie selbst. Nur die Absenderin oder der Absender kann sie nach der Anmeldung öffnen.',
  noAddresseeKey:
    'Die Absenderin oder der Absender hat derzeit keinen persönlichen Schlüssel, zum Beispiel weil er ersetzt wurde. Eine Ende-zu-Ende-verschlüsselte Antwort ist deshalb gerade nicht möglich. Sie können auf Stufe 2 antworten.',
  noOwnKey:
    'Für eine Ende-zu-Ende-verschlüsselte Antwort brauchen Sie einen persönlichen Schlüssel. Legen Sie ihn auf der Seite „Schlüssel“ an.',
  encrypting: 'Ihre Antwort wird verschlüsselt …',
  threadEncrypted: 'Ende-zu-Ende-verschlüsselt. Den Inhalt sieht nur, wer einen passenden Schlüssel hat.',
};

export type E2eReplyMessages = typeof e2eReplyDe;
