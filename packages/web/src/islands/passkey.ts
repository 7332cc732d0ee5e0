// Passkeys (WebAuthn) through @simplewebauthn/browser: adding one on the account page, signing
// in with one, and confirming it is you before deleting something. The server makes and checks
// every challenge; this only carries them between the portal and the browser's authenticator.
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { messages } from '../i18n/index.ts';
import { ApiError, postJson } from './lib/api.ts';
import { showErrors } from './lib/errors.ts';
import { pageLocale } from './lib/upload.ts';

const endpoints = {
  register: { options: '/api/v1/account/passkeys/registration-options', finish: '/api/v1/account/passkeys' },
  login: { options: '/api/v1/account/passkeys/login-options', finish: '/api/v1/account/passkeys/login' },
  reauth: { options: '/api/v1/account/passkeys/reauth-options', finish: '/api/v1/account/passkeys/reauth' },
} as const;

type Mode = keyof typeof endpoints;

function isMode(v: string | undefined): v is Mode {
  return v === 'register' || v === 'login' || v === 'reauth';
}

function redirectOf(v: unknown): string {
  const r = typeof v === 'object' && v !== null ? (v as { redirect?: unknown }).redirect : undefined;
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') ? r : '/account';
}

const locale = pageLocale();
const m = messages(locale);

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-passkey]')) {
  const mode = form.dataset.passkey;
  if (!isMode(mode)) continue;
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (submit === null || typeof window.PublicKeyCredential !== 'function') continue;
  for (const note of document.querySelectorAll<HTMLElement>('[data-needs-js]')) note.hidden = true;
  submit.disabled = false;
  const csrf = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  const headers = { 'x-csrf-token': csrf };
  const fail = (message: string) => {
    submit.disabled = false;
    showErrors(form, {
      title: m.accounts.common.passkeyFailed,
      errorPrefix: m.form.errorPrefix,
      errors: [{ field: '', message }],
      headingLevel: 2,
    });
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    void (async () => {
      try {
        const options = await postJson(endpoints[mode].options, {}, headers);
        let body: Record<string, unknown>;
        if (mode === 'register') {
          const response = await startRegistration({
            optionsJSON: options as PublicKeyCredentialCreationOptionsJSON,
          });
          const name = form.querySelector<HTMLInputElement>('input[name="name"]')?.value ?? '';
          body = { response, name };
        } else {
          const response = await startAuthentication({
            optionsJSON: options as PublicKeyCredentialRequestOptionsJSON,
          });
          body = { response, next: form.dataset.next ?? '' };
        }
        const done = await postJson(endpoints[mode].finish, body, headers);
        window.location.assign(redirectOf(done));
      } catch (err) {
        fail(
          err instanceof ApiError && err.message !== '' ? err.message : m.accounts.common.passkeyCancelled,
        );
      }
    })();
  });
}
