// The notices after redirect-after-POST in English, typed against the German master.
import type { NoticeMessages } from './notices.de.ts';

export const noticesEn: NoticeMessages = {
  // Administration and staff sign-in.
  'department-created': 'The department was created.',
  'department-updated': 'The department was changed.',
  'staff-invited': 'The invitation was sent.',
  'staff-updated': 'The account was changed.',
  'signed-out': 'You are signed out.',
  'signed-out-everywhere': 'You are now signed out on all devices.',

  // Transfers and what comes in.
  'transfer-sent': 'The message was sent.',
  'transfer-revoked': 'The message was revoked. The links no longer work and the files are deleted.',
  'transfer-extended': 'The expiry date was changed.',
  'reply-sent': 'Your reply was sent.',
  'inbound-done': 'The item is marked as done.',
  'inbound-reopened': 'The item is open again.',
  'inbound-assigned': 'The assignment was changed.',
  'answer-sent': 'Your answer was sent.',
  'inbound-settings-saved': 'The settings were saved.',
  'upload-link-created': 'The upload link was created.',
  'upload-link-closed': 'The upload link was closed.',

  // The accessibility page.
  'feedback-sent': 'Thank you! Your feedback has arrived.',

  // Service accounts and organisation accounts.
  'account-created':
    'Your service account has been created. Please now set a password or add a passkey so that you can sign in again.',
  'signed-in': 'You are signed in.',
  'sign-in-required':
    'There is a service account with a password or passkey for this address. Please sign in with it.',
  'password-saved': 'Your password has been saved.',
  'password-reset': 'Your new password has been saved. Please sign in with it.',
  'profile-saved': 'Your details have been saved.',
  'email-changed': 'Your new e-mail address applies from now on.',
  'totp-disabled': 'The second factor is switched off.',
  'passkey-added': 'The passkey has been added.',
  'passkey-removed': 'The passkey has been removed.',
  'identity-linked': 'Your account is now connected to the identity service.',
  'identity-removed': 'The connection has been removed.',
  'session-ended': 'The device has been signed out.',
  'sessions-ended': 'All other devices have been signed out.',
  'account-deleted': 'Your service account has been deleted.',
  'organisation-created': 'The organisation has been created. You are its administrator.',
  'invitation-sent': 'The invitation has been sent.',
  'member-confirmed': 'Access is confirmed. The person can now use the organisation.',
  'invitation-closed': 'The invitation has been closed.',
  'role-changed': 'The role has been changed.',
  'member-revoked': 'Access has been revoked.',
  'org-key-created':
    'The organisation’s key has been created. Members with a personal key get it automatically.',
  'left-organisation': 'You have left the organisation.',
  'organisation-saved': 'The profile has been saved.',
  'release-saved': 'The release has been saved.',
  'organisation-deleted': 'The organisation has been deleted.',
  'sso-saved': 'Single sign-on has been saved.',
  'sso-removed': 'Single sign-on has been removed.',

  // Personal API tokens.
  'account-token-revoked': 'The access token was revoked. Programs that use it can no longer get in.',

  // The e-mail step of a first sign-in with the identity service.
  'oidc-account-created':
    'Your service account has been created and connected to the identity service. From now on you simply sign in through the identity service again.',
  'oidc-identity-linked':
    'This e-mail address already had a service account. The identity service sign-in is now connected to it.',

  // Retention and data-subject rights.
  'retention-saved': 'The retention periods were saved.',
  'data-subject-deleted': 'The service account was deleted with all its data.',
};
