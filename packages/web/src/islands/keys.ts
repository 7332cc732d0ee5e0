// The personal-key page (pages/keys.ts): create a key (recovery code shown once), unlock it for
// this session, change the passphrase, set a new one with the recovery code. All in the browser:
// the server gets the public key and the wrapped private key only (docs/crypto.md).
import {
  createPersonalKey,
  fromBase64Url,
  isCryptoError,
  toBase64Url,
  unwrapPrivateKeyWithPassphrase,
  unwrapPrivateKeyWithRecoveryCode,
  wrapPrivateKeyWithPassphrase,
} from '@amtsbote/crypto';
import { messages } from '../i18n/index.ts';
import type { FieldMessage } from './lib/errors.ts';
import { clearErrors, showErrors } from './lib/errors.ts';
import type { KeyInfo } from './lib/keystore.ts';
import { fetchKeyInfo, forgetKey, keepUnlocked, pageCsrf, runRewraps, unlockedKey } from './lib/keystore.ts';
import { pageLocale } from './lib/upload.ts';

const MIN = 12;
const root = document.getElementById('keys');
if (root !== null) {
  const m = messages(pageLocale());
  const t = m.e2eKeys.keys;
  const status = document.querySelector<HTMLElement>('[data-key-status]');
  const say = (text: string): void => {
    if (status !== null) status.textContent = text;
  };
  const value = (form: HTMLFormElement, name: string): string => {
    const el = form.elements.namedItem(name);
    return el instanceof HTMLInputElement ? el.value : '';
  };
  const fail = (form: HTMLFormElement, errors: FieldMessage[]): void => {
    showErrors(form, { title: t.errorTitle, errorPrefix: m.form.errorPrefix, errors, headingLevel: 3 });
  };
  const checkNew = (form: HTMLFormElement): FieldMessage[] => {
    const p = value(form, 'passphrase');
    if (p.length < MIN) return [{ field: 'passphrase', message: t.tooShort }];
    if (p !== value(form, 'passphraseRepeat')) return [{ field: 'passphraseRepeat', message: t.mismatch }];
    return [];
  };
  const send = async (method: 'POST' | 'PUT', url: string, body: unknown): Promise<boolean> => {
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': pageCsrf() },
      body: JSON.stringify(body),
    });
    return res.ok;
  };
  const enable = (form: HTMLFormElement | null): void => {
    const b = form?.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (b) b.disabled = false;
  };
  const busy = (form: HTMLFormElement, on: boolean): void => {
    for (const el of form.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button'))
      el.disabled = on;
  };
  const next = root.dataset.next ?? '';

  let info: KeyInfo | undefined;
  const showUnlocked = (unlocked: boolean): void => {
    const form = document.getElementById('key-unlock');
    if (form) form.hidden = unlocked;
    const p = document.querySelector<HTMLElement>('[data-key-unlocked]');
    if (p) p.hidden = !unlocked;
    const n = document.querySelector<HTMLElement>('[data-key-next]');
    if (n) n.hidden = !unlocked;
  };
  const afterUnlock = async (keyPair: CryptoKeyPair): Promise<void> => {
    if (info?.key == null) return;
    await keepUnlocked(info.slot, info.key.publicKey, keyPair);
    showUnlocked(true);
    const n = info.holder === 'staff' ? await runRewraps(keyPair) : 0;
    say(n > 0 ? `${t.unlocked} ${m.e2eKeys.rewrap.done(n)}` : t.unlocked);
  };

  // ---- Create ----
  const create = document.getElementById('key-create');
  if (create instanceof HTMLFormElement) {
    enable(create);
    create.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        clearErrors(create);
        const problems = checkNew(create);
        const understood = create.elements.namedItem('understood');
        if (!(understood instanceof HTMLInputElement && understood.checked))
          problems.push({ field: 'understood', message: t.notUnderstood });
        if (problems.length > 0) {
          fail(create, problems);
          return;
        }
        busy(create, true);
        say(t.working);
        try {
          const key = await createPersonalKey(value(create, 'passphrase'));
          const ok = await send('POST', '/api/v1/keys/me', {
            publicKey: key.publicKey,
            wrappedWithPassphrase: toBase64Url(key.wrappedWithPassphrase),
            wrappedWithRecoveryCode: toBase64Url(key.wrappedWithRecoveryCode),
          });
          if (!ok) throw new Error('store');
          info = await fetchKeyInfo();
          if (info?.key != null) await keepUnlocked(info.slot, info.key.publicKey, key.keyPair);
          create.hidden = true;
          const box = document.getElementById('key-recovery');
          const code = box?.querySelector<HTMLElement>('[data-recovery-code]');
          if (box && code) {
            code.textContent = key.recoveryCode;
            box.hidden = false;
            box.querySelector<HTMLElement>('h3')?.setAttribute('tabindex', '-1');
            box.querySelector<HTMLElement>('h3')?.focus();
          }
          say('');
        } catch {
          busy(create, false);
          say('');
          fail(create, [{ field: '', message: t.failed }]);
        }
      })();
    });
    const kept = document.getElementById('key-recovery-kept');
    const done = document.querySelector<HTMLButtonElement>('[data-recovery-done]');
    kept?.addEventListener('change', () => {
      if (done && kept instanceof HTMLInputElement) done.disabled = !kept.checked;
    });
    document.querySelector('[data-print]')?.addEventListener('click', () => {
      window.print();
    });
    done?.addEventListener('click', () => {
      window.location.assign(next !== '' ? next : '/keys');
    });
  }

  // ---- Unlock, change, recover ----
  const unlock = document.getElementById('key-unlock');
  const change = document.getElementById('key-change');
  const recover = document.getElementById('key-recover');
  void (async () => {
    if (!(unlock instanceof HTMLFormElement)) return;
    info = await fetchKeyInfo();
    const kp = await unlockedKey(info);
    showUnlocked(kp !== undefined);
    if (kp !== undefined) {
      const n = info?.holder === 'staff' ? await runRewraps(kp) : 0;
      say(n > 0 ? `${t.unlocked} ${m.e2eKeys.rewrap.done(n)}` : t.unlocked);
    } else say(t.locked);
    enable(unlock);
    if (change instanceof HTMLFormElement) enable(change);
    if (recover instanceof HTMLFormElement) enable(recover);
  })();

  if (unlock instanceof HTMLFormElement) {
    unlock.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        clearErrors(unlock);
        if (info?.key == null) return;
        busy(unlock, true);
        say(t.working);
        try {
          const kp = await unwrapPrivateKeyWithPassphrase(
            fromBase64Url(info.key.wrappedWithPassphrase),
            value(unlock, 'passphrase'),
          );
          const input = unlock.elements.namedItem('passphrase');
          if (input instanceof HTMLInputElement) input.value = '';
          await afterUnlock(kp);
        } catch (err) {
          say(t.locked);
          fail(unlock, [{ field: 'passphrase', message: isCryptoError(err) ? t.wrongPassphrase : t.failed }]);
        } finally {
          busy(unlock, false);
        }
      })();
    });
    document.querySelector('[data-key-lock]')?.addEventListener('click', () => {
      void forgetKey().then(() => {
        showUnlocked(false);
        say(t.locked);
      });
    });
  }

  // A new passphrase: unwrap with the old one (or the recovery code) as extractable, re-wrap, drop.
  const rewrapWith = (
    form: HTMLFormElement,
    open: (wrapped: KeyInfo['key'] & object) => Promise<CryptoKeyPair>,
    wrongMessage: string,
    field: string,
  ): void => {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        clearErrors(form);
        const problems = checkNew(form);
        if (problems.length > 0) {
          fail(form, problems);
          return;
        }
        if (info?.key == null) return;
        busy(form, true);
        say(t.working);
        try {
          const extractable = await open(info.key);
          const wrapped = await wrapPrivateKeyWithPassphrase(extractable, value(form, 'passphrase'));
          if (!(await send('PUT', '/api/v1/keys/me/wraps', { wrappedWithPassphrase: toBase64Url(wrapped) })))
            throw new Error('store');
          const kp = await unwrapPrivateKeyWithPassphrase(wrapped, value(form, 'passphrase'));
          info = await fetchKeyInfo();
          form.reset();
          await afterUnlock(kp);
          say(t.changed);
        } catch (err) {
          say('');
          fail(form, [{ field, message: isCryptoError(err) ? wrongMessage : t.failed }]);
        } finally {
          busy(form, false);
        }
      })();
    });
  };
  if (change instanceof HTMLFormElement) {
    rewrapWith(
      change,
      (k) =>
        unwrapPrivateKeyWithPassphrase(fromBase64Url(k.wrappedWithPassphrase), value(change, 'current'), {
          extractable: true,
        }),
      t.wrongPassphrase,
      'current',
    );
  }
  if (recover instanceof HTMLFormElement) {
    rewrapWith(
      recover,
      (k) =>
        unwrapPrivateKeyWithRecoveryCode(fromBase64Url(k.wrappedWithRecoveryCode), value(recover, 'code'), {
          extractable: true,
        }),
      t.wrongCode,
      'code',
    );
  }
}
