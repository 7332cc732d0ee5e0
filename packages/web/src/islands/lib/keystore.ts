// The unlocked personal key in the browser (docs/crypto.md, "Unlocking in the browser"): a
// non-extractable CryptoKeyPair kept in IndexedDB under the session's key slot, which the
// server derives from the session and hands out with /api/v1/keys/me. A new session (after
// signing out, or another person on the same browser) has another slot, and the stale key is
// deleted the first time any signed-in page looks. The private key never leaves WebCrypto: it
// cannot be exported, and it is never sent anywhere.
import { fromBase64Url, importPublicKey, toBase64Url, unwrapFileKey, wrapFileKey } from '@amtsbote/crypto';
import { openGroupKey } from './group-key.ts';

const DB_NAME = 'amtsbote-keys';
const STORE = 'unlocked';
const ENTRY = 'current';
/** An unlocked key is forgotten after this long even within one session. */
const MAX_AGE_MS = 12 * 60 * 60 * 1000;

interface StoredKey {
  slot: string;
  publicKey: string;
  keyPair: CryptoKeyPair;
  at: number;
}

/** The caller's key record from the server (wrapped objects, base64url) and the session's slot. */
export interface KeyInfo {
  slot: string;
  holder: 'staff' | 'account';
  key: { publicKey: string; wrappedWithPassphrase: string; wrappedWithRecoveryCode: string } | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The CSRF token of the page (every signed-in page has one in its sign-out form). */
export function pageCsrf(): string {
  return document.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
}

/**
 * The work list of a background key task (re-wraps, shares still missing): empty when the
 * server answers anything but a JSON array, since the task simply runs again a minute later.
 */
export async function fetchWorkList(url: string): Promise<unknown[]> {
  const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) return [];
  const items: unknown = await res.json();
  return Array.isArray(items) ? (items as unknown[]) : [];
}

/** Sends one result of a background key task as JSON with the page's CSRF token. */
export async function sendKeyWork(
  url: string,
  body: unknown,
  method: 'POST' | 'PUT' = 'POST',
): Promise<Response> {
  return fetch(url, {
    method,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': pageCsrf() },
    body: JSON.stringify(body),
  });
}

export async function fetchKeyInfo(): Promise<KeyInfo | undefined> {
  const res = await fetch('/api/v1/keys/me', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!res.ok) return undefined;
  const v: unknown = await res.json();
  if (!isRecord(v) || typeof v.slot !== 'string') return undefined;
  const k = v.key;
  const key =
    isRecord(k) &&
    typeof k.publicKey === 'string' &&
    typeof k.wrappedWithPassphrase === 'string' &&
    typeof k.wrappedWithRecoveryCode === 'string'
      ? {
          publicKey: k.publicKey,
          wrappedWithPassphrase: k.wrappedWithPassphrase,
          wrappedWithRecoveryCode: k.wrappedWithRecoveryCode,
        }
      : null;
  return { slot: v.slot, holder: v.holder === 'staff' ? 'staff' : 'account', key };
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(STORE);
    };
    req.onsuccess = () => {
      resolve(req.result);
    };
    req.onerror = () => {
      reject(req.error ?? new Error('indexedDB'));
    };
  });
}

async function withStore<T>(
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = run(tx.objectStore(STORE));
      tx.oncomplete = () => {
        resolve(req.result as T);
      };
      tx.onerror = () => {
        reject(tx.error ?? new Error('indexedDB'));
      };
    });
  } finally {
    db.close();
  }
}

export async function forgetKey(): Promise<void> {
  try {
    await withStore<undefined>('readwrite', (s) => s.delete(ENTRY));
  } catch {
    // No IndexedDB (private mode in some browsers): nothing was kept either.
  }
}

export async function keepUnlocked(slot: string, publicKey: string, keyPair: CryptoKeyPair): Promise<void> {
  const entry: StoredKey = { slot, publicKey, keyPair, at: Date.now() };
  await withStore<IDBValidKey>('readwrite', (s) => s.put(entry, ENTRY));
}

async function storedKey(): Promise<StoredKey | undefined> {
  try {
    const v = await withStore<unknown>('readonly', (s) => s.get(ENTRY));
    if (
      !isRecord(v) ||
      typeof v.slot !== 'string' ||
      typeof v.publicKey !== 'string' ||
      typeof v.at !== 'number' ||
      !isRecord(v.keyPair)
    )
      return undefined;
    return v as unknown as StoredKey;
  } catch {
    return undefined;
  }
}

/**
 * The unlocked key pair of this session, if there is one. Deletes a key kept for another
 * session, another key or too long ago.
 */
export async function unlockedKey(info?: KeyInfo): Promise<CryptoKeyPair | undefined> {
  const stored = await storedKey();
  if (stored === undefined) return undefined;
  const current = info ?? (await fetchKeyInfo());
  if (
    current?.key == null ||
    current.slot !== stored.slot ||
    current.key.publicKey !== stored.publicKey ||
    Date.now() - stored.at > MAX_AGE_MS
  ) {
    await forgetKey();
    return undefined;
  }
  return stored.keyPair;
}

/** Whether a key is kept at all (without asking the server). */
export async function hasStoredKey(): Promise<boolean> {
  return (await storedKey()) !== undefined;
}

/**
 * Wraps the file key of the caller's level-3/4 transfers for recipients who created a key after
 * sending (the server lists them; it never sees a file key). Returns how many were done.
 */
export async function runRewraps(keyPair: CryptoKeyPair): Promise<number> {
  const items = await fetchWorkList('/api/v1/keys/rewraps');
  let done = 0;
  for (const item of items) {
    if (
      !isRecord(item) ||
      (item.holder !== 'sender' && item.holder !== 'department') ||
      typeof item.envelope !== 'string' ||
      typeof item.publicKey !== 'string'
    )
      continue;
    try {
      // With shared department outboxes a member re-wraps through the department's key.
      const holder =
        item.holder === 'department' &&
        typeof item.wrappedDepartmentKey === 'string' &&
        typeof item.departmentPublicKey === 'string'
          ? await openGroupKey(fromBase64Url(item.wrappedDepartmentKey), keyPair, item.departmentPublicKey)
          : keyPair;
      const fileKey = await unwrapFileKey(fromBase64Url(item.envelope), holder);
      const envelope = await wrapFileKey(fileKey, await importPublicKey(item.publicKey));
      fileKey.fill(0);
      const put = await sendKeyWork('/api/v1/keys/rewraps', {
        transferId: item.transferId,
        recipientId: item.recipientId,
        envelope: toBase64Url(envelope),
      });
      if (put.ok) done++;
    } catch {
      // One that does not open (another key of the sender's) is left for later.
    }
  }
  return done;
}
