// The notices shown after redirect-after-POST, in German: the master, which notices.en.ts must
// match key for key. The redirect carries only the key (`?notice=account-created`), never text,
// so a crafted URL can show nothing but one of these.

export const noticesDe = {
  // Administration and staff sign-in.
  'department-created': 'Die Abteilung wurde angelegt.',
  'department-updated': 'Die Abteilung wurde geändert.',
  'staff-invited': 'Die Einladung wurde verschickt.',
  'staff-updated': 'Das Konto wurde geändert.',
  'signed-out': 'Sie sind abgemeldet.',
  'signed-out-everywhere': 'Sie sind jetzt auf allen Geräten abgemeldet.',

  // Transfers and what comes in.
  'transfer-sent': 'Die Nachricht wurde verschickt.',
  'transfer-revoked':
    'Die Nachricht wurde zurückgezogen. Die Links funktionieren nicht mehr, die Dateien sind gelöscht.',
  'transfer-extended': 'Die Frist wurde geändert.',
  'reply-sent': 'Ihre Antwort wurde verschickt.',
  'inbound-done': 'Der Eingang ist als erledigt markiert.',
  'inbound-reopened': 'Der Eingang ist wieder offen.',
  'inbound-assigned': 'Die Zuständigkeit wurde geändert.',
  'answer-sent': 'Ihre Antwort wurde verschickt.',
  'inbound-settings-saved': 'Die Einstellungen wurden gespeichert.',
  'upload-link-created': 'Der Upload-Link wurde angelegt.',
  'upload-link-closed': 'Der Upload-Link wurde geschlossen.',

  // The accessibility page.
  'feedback-sent': 'Danke! Ihre Rückmeldung ist angekommen.',

  // Service accounts and organisation accounts.
  'account-created':
    'Ihr Servicekonto ist angelegt. Legen Sie jetzt bitte ein Passwort fest oder fügen Sie einen Passkey hinzu, damit Sie sich wieder anmelden können.',
  'signed-in': 'Sie sind angemeldet.',
  'sign-in-required':
    'Zu dieser Adresse gibt es ein Servicekonto mit Passwort oder Passkey. Bitte melden Sie sich damit an.',
  'password-saved': 'Ihr Passwort ist gespeichert.',
  'password-reset': 'Ihr neues Passwort ist gespeichert. Bitte melden Sie sich damit an.',
  'profile-saved': 'Ihre Angaben sind gespeichert.',
  'email-changed': 'Ihre neue E-Mail-Adresse gilt ab jetzt.',
  'totp-disabled': 'Der zweite Faktor ist ausgeschaltet.',
  'passkey-added': 'Der Passkey ist hinzugefügt.',
  'passkey-removed': 'Der Passkey ist entfernt.',
  'identity-linked': 'Ihr Konto ist jetzt mit dem Identitätsdienst verbunden.',
  'identity-removed': 'Die Verbindung ist gelöst.',
  'session-ended': 'Das Gerät ist abgemeldet.',
  'sessions-ended': 'Alle anderen Geräte sind abgemeldet.',
  'account-deleted': 'Ihr Servicekonto ist gelöscht.',
  'organisation-created':
    'Die Organisation ist angelegt. Sie sind ihre Administratorin oder ihr Administrator.',
  'invitation-sent': 'Die Einladung ist verschickt.',
  'member-confirmed': 'Der Zugang ist bestätigt. Die Person kann die Organisation jetzt nutzen.',
  'invitation-closed': 'Die Einladung ist geschlossen.',
  'role-changed': 'Die Rolle ist geändert.',
  'member-revoked': 'Der Zugang ist entzogen.',
  'org-key-created':
    'Der Schlüssel der Organisation ist angelegt. Mitglieder mit persönlichem Schlüssel bekommen ihn automatisch.',
  'left-organisation': 'Sie haben die Organisation verlassen.',
  'organisation-saved': 'Das Profil ist gespeichert.',
  'release-saved': 'Die Freigabe ist gespeichert.',
  'organisation-deleted': 'Die Organisation ist gelöscht.',
  'sso-saved': 'Die zentrale Anmeldung ist gespeichert.',
  'sso-removed': 'Die zentrale Anmeldung ist entfernt.',

  // Personal API tokens.
  'account-token-revoked':
    'Der Zugangsschlüssel wurde widerrufen. Programme, die ihn benutzen, kommen nicht mehr herein.',

  // The e-mail step of a first sign-in with the identity service.
  'oidc-account-created':
    'Ihr Servicekonto ist angelegt und mit dem Identitätsdienst verbunden. Sie melden sich künftig einfach wieder über den Identitätsdienst an.',
  'oidc-identity-linked':
    'Zu dieser E-Mail-Adresse gab es schon ein Servicekonto. Die Anmeldung mit dem Identitätsdienst ist jetzt damit verbunden.',

  // Retention and data-subject rights.
  'retention-saved': 'Die Speicherfristen wurden gespeichert.',
  'data-subject-deleted': 'Das Servicekonto wurde mit allen Daten gelöscht.',
};

export type NoticeKey = keyof typeof noticesDe;
export type NoticeMessages = Record<NoticeKey, string>;
export type NoticeKind = 'success' | 'info';

/**
 * How each notice is shown, the same in every language: `success` confirms what the person just
 * did, `info` tells a state they should know about.
 */
export const noticeKinds: Record<NoticeKey, NoticeKind> = {
  // Administration and staff sign-in.
  'department-created': 'success',
  'department-updated': 'success',
  'staff-invited': 'success',
  'staff-updated': 'success',
  'signed-out': 'info',
  'signed-out-everywhere': 'info',

  // Transfers and what comes in.
  'transfer-sent': 'success',
  'transfer-revoked': 'success',
  'transfer-extended': 'success',
  'reply-sent': 'success',
  'inbound-done': 'success',
  'inbound-reopened': 'info',
  'inbound-assigned': 'success',
  'answer-sent': 'success',
  'inbound-settings-saved': 'success',
  'upload-link-created': 'success',
  'upload-link-closed': 'success',

  // The accessibility page.
  'feedback-sent': 'success',

  // Service accounts and organisation accounts.
  'account-created': 'success',
  'signed-in': 'success',
  'sign-in-required': 'info',
  'password-saved': 'success',
  'password-reset': 'success',
  'profile-saved': 'success',
  'email-changed': 'success',
  'totp-disabled': 'info',
  'passkey-added': 'success',
  'passkey-removed': 'success',
  'identity-linked': 'success',
  'identity-removed': 'success',
  'session-ended': 'success',
  'sessions-ended': 'success',
  'account-deleted': 'info',
  'organisation-created': 'success',
  'invitation-sent': 'success',
  'member-confirmed': 'success',
  'invitation-closed': 'info',
  'role-changed': 'success',
  'member-revoked': 'success',
  'org-key-created': 'success',
  'left-organisation': 'info',
  'organisation-saved': 'success',
  'release-saved': 'success',
  'organisation-deleted': 'info',
  'sso-saved': 'success',
  'sso-removed': 'info',

  // Personal API tokens.
  'account-token-revoked': 'success',

  // The e-mail step of a first sign-in with the identity service.
  'oidc-account-created': 'success',
  'oidc-identity-linked': 'success',

  // Retention and data-subject rights.
  'retention-saved': 'success',
  'data-subject-deleted': 'success',
};
