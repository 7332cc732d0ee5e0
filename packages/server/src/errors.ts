/**
 * The one registry of stable error codes. Every error a client can see carries one of these
 * codes; its HTTP status and its German and English message live here and nowhere else.
 * docs/errors.md documents every code (a test keeps the two in step).
 */
export const errorRegistry = {
  ERR_VALIDATION: {
    status: 400,
    de: 'Die Eingabe ist nicht gültig. Bitte prüfen Sie die markierten Felder.',
    en: 'The input is not valid. Please check the marked fields.',
  },
  ERR_MALFORMED_JSON: {
    status: 400,
    de: 'Der Inhalt der Anfrage ist kein gültiges JSON.',
    en: 'The request body is not valid JSON.',
  },
  ERR_BODY_TOO_LARGE: {
    status: 413,
    de: 'Die Anfrage ist zu groß.',
    en: 'The request is too large.',
  },
  ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    de: 'Dieses Datenformat wird hier nicht angenommen.',
    en: 'This content type is not accepted here.',
  },
  ERR_NOT_FOUND: {
    status: 404,
    de: 'Diese Seite oder diesen Eintrag gibt es nicht.',
    en: 'This page or record does not exist.',
  },
  ERR_UNAUTHENTICATED: {
    status: 401,
    de: 'Bitte melden Sie sich an.',
    en: 'Please sign in.',
  },
  ERR_CSRF: {
    status: 403,
    de: 'Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.',
    en: 'The form has expired. Please reload the page and try again.',
  },
  ERR_INVALID_CREDENTIALS: {
    status: 401,
    de: 'E-Mail-Adresse oder Passwort stimmen nicht.',
    en: 'E-mail address or password is not correct.',
  },
  ERR_RATE_LIMITED: {
    status: 429,
    de: 'Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es dann noch einmal.',
    en: 'Too many attempts. Please wait a few minutes and try again.',
  },
  ERR_LINK_INVALID: {
    status: 404,
    de: 'Dieser Link gilt nicht mehr. Er wurde schon benutzt oder ist abgelaufen.',
    en: 'This link is no longer valid. It has been used already or has expired.',
  },
  ERR_WEAK_PASSWORD: {
    status: 400,
    de: 'Das Passwort muss mindestens 12 Zeichen lang sein.',
    en: 'The password must be at least 12 characters long.',
  },
  ERR_PASSWORD_MISMATCH: {
    status: 400,
    de: 'Die beiden Passwörter sind nicht gleich.',
    en: 'The two passwords do not match.',
  },
  ERR_DEPARTMENT_EXISTS: {
    status: 409,
    de: 'Eine Abteilung mit diesem Namen gibt es schon.',
    en: 'A department with this name already exists.',
  },
  ERR_STAFF_EXISTS: {
    status: 409,
    de: 'Zu dieser E-Mail-Adresse gibt es schon ein Konto.',
    en: 'There already is an account for this e-mail address.',
  },
  ERR_TENANT_EXISTS: {
    status: 409,
    de: 'Eine Behörde mit diesem Kurznamen gibt es schon.',
    en: 'An authority with this short name already exists.',
  },
  ERR_LAST_ADMIN: {
    status: 409,
    de: 'Die letzte Administratorin oder der letzte Administrator kann nicht entfernt werden.',
    en: 'The last administrator cannot be removed.',
  },
  ERR_FILE_TOO_LARGE: {
    status: 413,
    de: 'Diese Datei ist größer, als Ihre Behörde erlaubt. Bitte teilen Sie sie auf oder verkleinern Sie sie.',
    en: 'This file is larger than your authority allows. Please split it or make it smaller.',
  },
  ERR_TOO_MANY_FILES: {
    status: 400,
    de: 'Das sind mehr Dateien, als eine Nachricht haben darf. Bitte verteilen Sie sie auf mehrere Nachrichten.',
    en: 'These are more files than one message may carry. Please spread them over several messages.',
  },
  ERR_TRANSFER_TOO_LARGE: {
    status: 413,
    de: 'Alle Dateien zusammen sind größer, als eine Nachricht sein darf.',
    en: 'All files together are larger than one message may be.',
  },
  ERR_EXPIRY_TOO_LONG: {
    status: 400,
    de: 'So lange darf eine Nachricht nicht abrufbar bleiben. Bitte wählen Sie eine kürzere Frist.',
    en: 'A message may not stay available that long. Please choose a shorter period.',
  },
  ERR_TRANSFER_INCOMPLETE: {
    status: 409,
    de: 'Es sind noch nicht alle Dateien hochgeladen. Bitte warten Sie, bis der Upload fertig ist.',
    en: 'Not all files have been uploaded yet. Please wait until the upload has finished.',
  },
  ERR_UPLOAD_CONFLICT: {
    status: 409,
    de: 'Dieser Teil der Datei wurde schon anders hochgeladen. Der Upload setzt an der richtigen Stelle fort.',
    en: 'This part of the file was already uploaded differently. The upload continues at the right place.',
  },
  ERR_CODE_INVALID: {
    status: 400,
    de: 'Der Code stimmt nicht oder ist abgelaufen. Bitte fordern Sie einen neuen Code an.',
    en: 'The code is wrong or has expired. Please request a new code.',
  },
  ERR_MAIL_DELIVERY: {
    status: 503,
    de: 'Die E-Mail konnte gerade nicht verschickt werden. Es wurde nichts gespeichert. Bitte versuchen Sie es gleich noch einmal.',
    en: 'The e-mail could not be sent just now. Nothing was saved. Please try again in a moment.',
  },
  ERR_COMMON_PASSWORD: {
    status: 400,
    de: 'Dieses Passwort steht auf einer Liste oft benutzter Passwörter. Bitte wählen Sie ein anderes, zum Beispiel einen Satz aus mehreren Wörtern.',
    en: 'This password is on a list of often-used passwords. Please choose another one, for example a sentence of several words.',
  },
  ERR_EMAIL_TAKEN: {
    status: 409,
    de: 'Zu dieser E-Mail-Adresse gibt es schon ein Servicekonto. Melden Sie sich mit diesem Konto an.',
    en: 'There already is a service account for this e-mail address. Please sign in with that account.',
  },
  ERR_TOTP_INVALID: {
    status: 400,
    de: 'Der Code aus Ihrer Authenticator-App stimmt nicht. Bitte geben Sie den aktuellen Code ein.',
    en: 'The code from your authenticator app is not correct. Please enter the current code.',
  },
  ERR_TOTP_REUSED: {
    status: 400,
    de: 'Dieser Code wurde schon benutzt. Bitte warten Sie, bis Ihre App einen neuen Code zeigt.',
    en: 'This code has already been used. Please wait until your app shows a new code.',
  },
  ERR_REAUTH_REQUIRED: {
    status: 403,
    de: 'Bitte bestätigen Sie zuerst, dass Sie es sind: mit Ihrem Passwort oder Ihrem Passkey.',
    en: 'Please confirm first that it is you: with your password or your passkey.',
  },
  ERR_PASSKEY_INVALID: {
    status: 400,
    de: 'Der Passkey konnte nicht geprüft werden. Bitte versuchen Sie es noch einmal.',
    en: 'The passkey could not be checked. Please try again.',
  },
  ERR_OIDC_FAILED: {
    status: 502,
    de: 'Die Anmeldung über den Identitätsdienst hat nicht geklappt. Bitte versuchen Sie es noch einmal.',
    en: 'Signing in through the identity service did not work. Please try again.',
  },
  ERR_OIDC_STATE: {
    status: 400,
    de: 'Diese Anmeldung ist abgelaufen oder wurde schon abgeschlossen. Bitte starten Sie die Anmeldung neu.',
    en: 'This sign-in has expired or was already completed. Please start signing in again.',
  },
  ERR_OIDC_SIGN_IN_TO_LINK: {
    status: 409,
    de: 'Zu dieser Adresse gibt es ein Servicekonto mit Authentifizierungs-App. Bitte melden Sie sich dort an und verbinden Sie den Identitätsdienst in Ihrem Konto.',
    en: 'This e-mail address has a service account protected by an authenticator app. Please sign in there and connect the identity service in your account.',
  },
  ERR_IDENTITY_LINKED: {
    status: 409,
    de: 'Diese Identität ist schon mit einem anderen Servicekonto verbunden.',
    en: 'This identity is already connected to another service account.',
  },
  ERR_SSO_NO_STAFF: {
    status: 403,
    de: 'Für diese Anmeldung gibt es hier kein Konto für Mitarbeitende. Bitte wenden Sie sich an die Administration Ihrer Behörde.',
    en: 'There is no staff account here for this sign-in. Please contact your authority’s administrators.',
  },
  ERR_LOCAL_LOGIN_DISABLED: {
    status: 403,
    de: 'Ihre Behörde hat die Anmeldung mit Passwort abgeschaltet. Bitte melden Sie sich über die zentrale Anmeldung (Single Sign-on) an.',
    en: 'Your authority has switched off signing in with a password. Please sign in through single sign-on.',
  },
  ERR_INVITATION_EXPIRED: {
    status: 410,
    de: 'Diese Einladung ist abgelaufen. Bitte bitten Sie die Administration der Organisation um eine neue Einladung.',
    en: 'This invitation has expired. Please ask the organisation’s administrators for a new invitation.',
  },
  ERR_INVITATION_EMAIL_MISMATCH: {
    status: 403,
    de: 'Diese Einladung gilt für eine andere E-Mail-Adresse. Bitte melden Sie sich mit dem Servicekonto zu dieser Adresse an.',
    en: 'This invitation is for a different e-mail address. Please sign in with the service account for that address.',
  },
  ERR_ORG_ADMIN_REQUIRED: {
    status: 403,
    de: 'Das dürfen nur Administratorinnen und Administratoren der Organisation.',
    en: 'Only the organisation’s administrators may do this.',
  },
  ERR_ORG_LAST_ADMIN: {
    status: 409,
    de: 'Sie sind die letzte Administratorin oder der letzte Administrator dieser Organisation. Ernennen Sie zuerst ein anderes Mitglied zur Administration, oder löschen Sie die Organisation.',
    en: 'You are the last administrator of this organisation. First make another member an administrator, or delete the organisation.',
  },
  ERR_ALREADY_MEMBER: {
    status: 409,
    de: 'Dieses Servicekonto gehört schon zur Organisation.',
    en: 'This service account already belongs to the organisation.',
  },
  ERR_CONSENT_REQUIRED: {
    status: 400,
    de: 'Bitte bestätigen Sie, dass Sie die Einwilligungserklärung gelesen haben und akzeptieren.',
    en: 'Please confirm that you have read and accept the declaration of consent.',
  },
  ERR_KEY_FORMAT: {
    status: 400,
    de: 'Der Schlüssel hat nicht das erwartete Format.',
    en: 'The key does not have the expected format.',
  },
  ERR_ORG_KEY_EXISTS: {
    status: 409,
    de: 'Die Organisation hat schon ein Schlüsselpaar.',
    en: 'The organisation already has a key pair.',
  },
  ERR_FILE_TYPE_NOT_ALLOWED: {
    status: 415,
    de: 'Diese Art von Datei wird hier nicht angenommen. Maßgeblich ist der Inhalt der Datei, nicht ihr Name.',
    en: 'This kind of file is not accepted here. What counts is the content of the file, not its name.',
  },
  ERR_SCAN_PENDING: {
    status: 409,
    de: 'Diese Datei wird noch auf Schadsoftware geprüft. Bitte versuchen Sie es in ein paar Minuten noch einmal.',
    en: 'This file is still being checked for malware. Please try again in a few minutes.',
  },
  ERR_FILE_QUARANTINED: {
    status: 410,
    de: 'In dieser Datei wurde Schadsoftware gefunden. Sie wurde gesperrt und kann nicht heruntergeladen werden.',
    en: 'Malware was found in this file. It has been blocked and cannot be downloaded.',
  },
  ERR_UPLOAD_LINK_CLOSED: {
    status: 410,
    de: 'Dieser Upload-Link gilt nicht mehr. Er ist abgelaufen, wurde geschlossen oder schon so oft benutzt wie erlaubt.',
    en: 'This upload link is no longer valid. It has expired, was closed or has been used as often as allowed.',
  },
  ERR_DEPARTMENT_KEY_MISSING: {
    status: 409,
    de: 'Diese Abteilung hat noch keinen Schlüssel für Ende-zu-Ende-Verschlüsselung. Bitte wählen Sie Stufe 1 oder 2.',
    en: 'This department has no key for end-to-end encryption yet. Please choose level 1 or 2.',
  },
  ERR_FORM_TOO_FAST: {
    status: 400,
    de: 'Das ging schneller, als ein Mensch tippen kann. Bitte prüfen Sie Ihre Angaben und senden Sie das Formular noch einmal.',
    en: 'That was faster than a person can type. Please check your entries and send the form again.',
  },
  ERR_DROPOFF_EXPIRED: {
    status: 410,
    de: 'Ihre Sitzung ist abgelaufen. Bitte beginnen Sie noch einmal; Sie bekommen dann einen neuen Code.',
    en: 'Your session has expired. Please start again; you will then get a new code.',
  },
  ERR_PERSONAL_KEY_EXISTS: {
    status: 409,
    de: 'Sie haben schon einen persönlichen Schlüssel. Sie können die Passphrase ändern oder ihn ersetzen.',
    en: 'You already have a personal key. You can change its passphrase or replace it.',
  },
  ERR_PERSONAL_KEY_MISSING: {
    status: 409,
    de: 'Für Stufe 3 und 4 brauchen Sie einen persönlichen Schlüssel. Bitte legen Sie ihn unter „Schlüssel“ an.',
    en: 'Levels 3 and 4 need a personal key. Please create one under “Key”.',
  },
  ERR_SENDER_ENVELOPE_MISSING: {
    status: 409,
    de: 'Der Dateischlüssel ist nicht für Sie selbst verschlüsselt. Bitte senden Sie die Nachricht noch einmal aus dem Browser oder dem Kommandozeilenprogramm.',
    en: 'The file key is not encrypted for yourself. Please send the message again from the browser or the command-line tool.',
  },
  ERR_REPLY_KEY_MISSING: {
    status: 409,
    de: 'Die Absenderin oder der Absender hat derzeit keinen persönlichen Schlüssel. Eine Antwort auf Stufe 3 oder 4 ist deshalb nicht möglich. Bitte antworten Sie auf Stufe 2.',
    en: 'The sender has no personal key at the moment, so a reply at level 3 or 4 is not possible. Please reply at level 2.',
  },
  ERR_REPLY_ENVELOPES_MISSING: {
    status: 409,
    de: 'Der Dateischlüssel der Antwort ist nicht für alle nötigen Schlüssel verschlüsselt. Bitte senden Sie die Antwort noch einmal aus dem Browser.',
    en: 'The reply’s file key is not encrypted for every key it must be. Please send the reply again from the browser.',
  },
  ERR_TOKEN_LIMIT: {
    status: 409,
    de: 'Sie haben schon die höchste Zahl an Zugangsschlüsseln. Bitte widerrufen Sie zuerst einen, den Sie nicht mehr brauchen.',
    en: 'You already have the maximum number of access tokens. Please revoke one you no longer need first.',
  },
  ERR_STORAGE_FULL: {
    status: 507,
    de: 'Der Speicher ist voll. Es wurde nichts gespeichert. Bitte versuchen Sie es später noch einmal.',
    en: 'Storage is full. Nothing was saved. Please try again later.',
  },
  ERR_SERVICE_UNAVAILABLE: {
    status: 503,
    de: 'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.',
    en: 'The service is unavailable right now. Please try again later.',
  },
  ERR_INTERNAL: {
    status: 500,
    de: 'Es ist ein Fehler aufgetreten. Bitte versuchen Sie es später noch einmal.',
    en: 'Something went wrong. Please try again later.',
  },
  ERR_URI_TOO_LONG: {
    status: 414,
    de: 'Die Adresse ist zu lang.',
    en: 'The address is too long.',
  },
  ERR_HEADERS_TOO_LARGE: {
    status: 431,
    de: 'Die Kopfzeilen der Anfrage sind zu groß. Bitte löschen Sie die Cookies dieser Seite und versuchen Sie es noch einmal.',
    en: 'The request headers are too large. Please delete this site’s cookies and try again.',
  },
  ERR_BAD_PATH_ENCODING: {
    status: 400,
    de: 'Die Adresse enthält ungültig kodierte Zeichen.',
    en: 'The address contains characters that are not validly encoded.',
  },
  ERR_OUTBOUND_REFUSED: {
    status: 400,
    de: 'Diese Adresse liegt in einem internen oder besonders reservierten Netz; der Server ruft sie deshalb nicht auf. Der Betrieb des Portals kann sie freigeben.',
    en: 'This address is in an internal or reserved network, so the server does not call it. The portal’s operator can allow it.',
  },
  ERR_BAD_HOST: {
    status: 400,
    de: 'Die Anfrage nennt keinen gültigen Servernamen.',
    en: 'The request does not name a valid server name.',
  },
  ERR_UNKNOWN_HOST: {
    status: 421,
    de: 'Unter diesem Namen ist hier keine Behörde eingerichtet. Bitte prüfen Sie die Adresse.',
    en: 'No authority is set up under this name here. Please check the address.',
  },
} as const satisfies Record<`ERR_${string}`, { status: number; de: string; en: string }>;

export type ErrorCode = keyof typeof errorRegistry;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorRegistry, code);
}

/** A field-level problem, reported with ERR_VALIDATION so forms can mark the field. */
export interface FieldProblem {
  field: string;
  code: ErrorCode;
}

/**
 * The error every module throws for a failure the client should see. `code` decides the
 * HTTP status and message; `fields` lists field-level problems for forms; `cause` is only
 * logged, never shown.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: readonly FieldProblem[];
  /** How long the caller should wait (`Retry-After`), when the refusing call knows it. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    options: { fields?: FieldProblem[]; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(errorRegistry[code].en, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorRegistry[code].status;
    this.fields = options.fields ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function errorMessage(code: ErrorCode, locale: 'de' | 'en'): string {
  return errorRegistry[code][locale];
}
