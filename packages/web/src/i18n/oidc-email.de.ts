// Texts of the step after a first sign-in through an identity service that sent no confirmed
// e-mail address, German. The English file has the same keys (oidc-email.en.ts).
export const oidcEmailDe = {
  title: 'E-Mail-Adresse bestätigen',
  intro: (name: string | undefined) =>
    name === undefined
      ? 'Sie haben sich erfolgreich beim Identitätsdienst angemeldet. Er hat uns aber keine bestätigte E-Mail-Adresse übermittelt.'
      : `Sie haben sich erfolgreich beim Identitätsdienst angemeldet (${name}). Er hat uns aber keine bestätigte E-Mail-Adresse übermittelt.`,
  why: 'Über Ihre E-Mail-Adresse benachrichtigen wir Sie, wenn Ihnen eine Behörde etwas schickt. Wir schicken Ihnen einen Code, mit dem Sie bestätigen, dass die Adresse Ihnen gehört.',
  existing:
    'Haben Sie unter dieser Adresse schon ein Servicekonto, wird die Anmeldung mit dem Identitätsdienst damit verbunden.',
  email: 'E-Mail-Adresse',
  emailHint: 'Zum Beispiel name@beispiel.de',
  send: 'Code senden',
  sentTitle: 'Code verschickt',
  sentText: (email: string) =>
    `Wir haben einen Code an ${email} geschickt. Bitte sehen Sie auch im Spam-Ordner nach.`,
  code: 'Code aus der E-Mail',
  codeHint: 'Der Code hat 6 Ziffern und gilt 15 Minuten.',
  confirm: 'Bestätigen und anmelden',
  otherAddress: 'Andere Adresse verwenden oder Code neu anfordern',
  resendHeading: 'Keinen Code bekommen?',
  timeLimit:
    'Bitte schließen Sie diesen Schritt innerhalb von 30 Minuten ab. Danach melden Sie sich bitte neu an.',
};

export type OidcEmailMessages = typeof oidcEmailDe;
