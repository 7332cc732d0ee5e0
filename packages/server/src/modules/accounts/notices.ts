/**
 * Notices after redirect-after-POST on the account and organisation pages (keys in the URL,
 * text here): merged into the portal's list in http/context.ts.
 */
export const accountNotices: Record<string, { kind: 'success' | 'info'; de: string; en: string }> = {
  'account-created': {
    kind: 'success',
    de: 'Ihr Servicekonto ist angelegt. Legen Sie jetzt bitte ein Passwort fest oder fügen Sie einen Passkey hinzu, damit Sie sich wieder anmelden können.',
    en: 'Your service account has been created. Please now set a password or add a passkey so that you can sign in again.',
  },
  'signed-in': { kind: 'success', de: 'Sie sind angemeldet.', en: 'You are signed in.' },
  'sign-in-required': {
    kind: 'info',
    de: 'Zu dieser Adresse gibt es ein Servicekonto mit Passwort oder Passkey. Bitte melden Sie sich damit an.',
    en: 'There is a service account with a password or passkey for this address. Please sign in with it.',
  },
  'password-saved': {
    kind: 'success',
    de: 'Ihr Passwort ist gespeichert.',
    en: 'Your password has been saved.',
  },
  'password-reset': {
    kind: 'success',
    de: 'Ihr neues Passwort ist gespeichert. Bitte melden Sie sich damit an.',
    en: 'Your new password has been saved. Please sign in with it.',
  },
  'profile-saved': {
    kind: 'success',
    de: 'Ihre Angaben sind gespeichert.',
    en: 'Your details have been saved.',
  },
  'email-changed': {
    kind: 'success',
    de: 'Ihre neue E-Mail-Adresse gilt ab jetzt.',
    en: 'Your new e-mail address applies from now on.',
  },
  'totp-disabled': {
    kind: 'info',
    de: 'Der zweite Faktor ist ausgeschaltet.',
    en: 'The second factor is switched off.',
  },
  'passkey-added': { kind: 'success', de: 'Der Passkey ist hinzugefügt.', en: 'The passkey has been added.' },
  'passkey-removed': {
    kind: 'success',
    de: 'Der Passkey ist entfernt.',
    en: 'The passkey has been removed.',
  },
  'identity-linked': {
    kind: 'success',
    de: 'Ihr Konto ist jetzt mit dem Identitätsdienst verbunden.',
    en: 'Your account is now connected to the identity service.',
  },
  'identity-removed': {
    kind: 'success',
    de: 'Die Verbindung ist gelöst.',
    en: 'The connection has been removed.',
  },
  'session-ended': {
    kind: 'success',
    de: 'Das Gerät ist abgemeldet.',
    en: 'The device has been signed out.',
  },
  'sessions-ended': {
    kind: 'success',
    de: 'Alle anderen Geräte sind abgemeldet.',
    en: 'All other devices have been signed out.',
  },
  'account-deleted': {
    kind: 'info',
    de: 'Ihr Servicekonto ist gelöscht.',
    en: 'Your service account has been deleted.',
  },
  'organisation-created': {
    kind: 'success',
    de: 'Die Organisation ist angelegt. Sie sind ihre Administratorin oder ihr Administrator.',
    en: 'The organisation has been created. You are its administrator.',
  },
  'invitation-sent': {
    kind: 'success',
    de: 'Die Einladung ist verschickt.',
    en: 'The invitation has been sent.',
  },
  'member-confirmed': {
    kind: 'success',
    de: 'Der Zugang ist bestätigt. Die Person kann die Organisation jetzt nutzen.',
    en: 'Access is confirmed. The person can now use the organisation.',
  },
  'invitation-closed': {
    kind: 'info',
    de: 'Die Einladung ist geschlossen.',
    en: 'The invitation has been closed.',
  },
  'role-changed': { kind: 'success', de: 'Die Rolle ist geändert.', en: 'The role has been changed.' },
  'member-revoked': { kind: 'success', de: 'Der Zugang ist entzogen.', en: 'Access has been revoked.' },
  'org-key-created': {
    kind: 'success',
    de: 'Der Schlüssel der Organisation ist angelegt. Mitglieder mit persönlichem Schlüssel bekommen ihn automatisch.',
    en: 'The organisation’s key has been created. Members with a personal key get it automatically.',
  },
  'left-organisation': {
    kind: 'info',
    de: 'Sie haben die Organisation verlassen.',
    en: 'You have left the organisation.',
  },
  'organisation-saved': {
    kind: 'success',
    de: 'Das Profil ist gespeichert.',
    en: 'The profile has been saved.',
  },
  'release-saved': {
    kind: 'success',
    de: 'Die Freigabe ist gespeichert.',
    en: 'The release has been saved.',
  },
  'organisation-deleted': {
    kind: 'info',
    de: 'Die Organisation ist gelöscht.',
    en: 'The organisation has been deleted.',
  },
  'sso-saved': {
    kind: 'success',
    de: 'Die zentrale Anmeldung ist gespeichert.',
    en: 'Single sign-on has been saved.',
  },
  'sso-removed': {
    kind: 'info',
    de: 'Die zentrale Anmeldung ist entfernt.',
    en: 'Single sign-on has been removed.',
  },
};
