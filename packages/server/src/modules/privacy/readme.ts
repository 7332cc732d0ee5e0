/** The README.md in every data export: German first, then English. Explains every field of data.json. */
export const EXPORT_README = `# Ihre Daten / Your data

## Deutsch

Diese ZIP-Datei enthält alle Daten, die das Portal zu Ihrer Person speichert (Auskunft nach
Artikel 15 DSGVO, Datenübertragbarkeit nach Artikel 20 DSGVO).

- \`data.json\`: alle Angaben in einem maschinenlesbaren Format (JSON, UTF-8).
- \`files/<Nachricht>/…\`: die Dateien Ihrer Nachrichten, die noch abrufbar sind. Dateien, die
  Ende-zu-Ende verschlüsselt wurden, sind so enthalten, wie sie gespeichert sind: verschlüsselt.
  Sie öffnen sie mit Ihrem Schlüssel. Abgelaufene Nachrichten haben keine Dateien mehr.

Die Felder in \`data.json\`:

- \`format\`, \`generatedAt\`, \`authority\`: Version dieses Formats, Zeitpunkt der Auskunft, die Behörde.
- \`subject\`: Ihre E-Mail-Adresse und ob es ein Servicekonto dazu gibt.
- \`profile\`: Ihr Servicekonto: Kennung, E-Mail-Adresse, Name, Sprache, angelegt am, zuletzt
  aktiv am, ob ein Passwort gesetzt ist und seit wann, seit wann eine Authenticator-App
  eingerichtet ist, wie viele Wiederherstellungscodes übrig sind, Ihre Passkeys (Name, Datum,
  Gerätetyp), Ihre Zugangsschlüssel für Programme (Name, angelegt, zuletzt benutzt, gültig bis)
  und verbundene Identitäten (Identitätsdienst, Kennung dort, Vertrauensniveau).
  Passwörter, Schlüssel und Codes selbst speichern wir nur als Hashwert oder verschlüsselt; sie
  sind nicht enthalten.
- \`sessions\`: Ihre laufenden Anmeldungen: Beginn, letzte Nutzung, Ende, Browser-Kennung,
  gekürzte IP-Adresse, Anmeldeweg.
- \`memberships\`: die Organisationskonten, zu denen Sie gehören, mit Ihrer Rolle und seit wann.
- \`organisationInvitations\`: Einladungen an Ihre Adresse und was daraus wurde.
- \`organisationAccessLog\`: Einträge im Protokoll der Organisationen, wann Sie Zugriff bekamen
  oder verloren und durch wen.
- \`messagesReceived\`: Nachrichten an Sie: Absender, Betreff und Text (solange die Nachricht
  abrufbar ist), Dateien, Sicherheitsstufe, Zeitpunkte von Versand, Ablauf, Benachrichtigung,
  erstem Öffnen und Downloads.
- \`messagesSent\`: Nachrichten, die Sie geschickt haben (zum Beispiel Antworten).
- \`dropoffs\`: Nachrichten, die Sie ohne Konto von dieser Adresse an eine Abteilung geschickt
  haben, mit den Kontaktdaten, die Sie dazu angegeben haben.
- \`auditEvents\`: Einträge im Protokoll wichtiger Vorgänge über Sie und Ihr Konto: Zeitpunkt,
  Vorgang, gekürzte IP-Adresse.

Wie lange wir welche Daten speichern, steht in der Datenschutzerklärung des Portals.

## English

This ZIP file holds all the data the portal keeps about you (access under Art. 15 GDPR, data
portability under Art. 20 GDPR).

- \`data.json\`: everything in a machine-readable format (JSON, UTF-8).
- \`files/<message>/…\`: the files of your messages that are still available. End-to-end
  encrypted files are included as they are stored: encrypted; open them with your key. Expired
  messages have no files any more.

The fields of \`data.json\`:

- \`format\`, \`generatedAt\`, \`authority\`: version of this format, time of the export, the authority.
- \`subject\`: your e-mail address and whether a service account exists for it.
- \`profile\`: your service account: id, e-mail address, name, language, created, last active,
  whether a password is set and since when, since when an authenticator app is set up, how many
  recovery codes are left, your passkeys (name, dates, device type), your access tokens for
  programs (name, created, last used, valid until) and connected identities
  (identity service, your id there, trust level). Passwords, keys and codes themselves are only
  stored hashed or encrypted and are not included.
- \`sessions\`: your current sign-ins: start, last use, end, browser, shortened IP address, method.
- \`memberships\`: the organisation accounts you belong to, with your role and since when.
- \`organisationInvitations\`: invitations to your address and what became of them.
- \`organisationAccessLog\`: entries in the organisations' access log: when you got or lost
  access, and by whom.
- \`messagesReceived\`: messages to you: sender, subject and text (while the message is
  available), files, security level, when it was sent, expires, you were notified, first opened
  it and downloaded.
- \`messagesSent\`: messages you sent (replies, for example).
- \`dropoffs\`: messages you sent to a department from this address without an account, with the
  contact details you gave.
- \`auditEvents\`: entries in the log of important events about you and your account: time,
  event, shortened IP address.

How long which data is kept is stated in the portal's privacy notice.
`;
