// Saving a decrypted file without holding it in memory (docs/crypto.md, "Downloads"): the
// ciphertext is fetched as a stream, decrypted chunk by chunk (decryptStream releases only
// authenticated chunks) and written to disk.
// 1. File System Access API (showSaveFilePicker): written to the browser's temporary file and
//    moved into place only when the stream closed cleanly; on any failure the writable is
//    aborted and the temporary file removed, so no partial plaintext is left.
// 2. Else a service worker (islands/e2e-sw.ts) that answers a download navigation with the
//    decrypted stream; a failure errors the stream and the browser marks the download failed.
// 3. Else nothing: the caller tells the user to use a current browser or the CLI.
import { decryptStream } from '@amtsbote/crypto';

interface SaveFilePickerWindow {
  showSaveFilePicker?: (options: {
    suggestedName: string;
  }) => Promise<{ createWritable(): Promise<WritableStream<Uint8Array>> }>;
}

export type SaveMethod = 'file-system' | 'service-worker' | 'none';

export function saveMethod(): SaveMethod {
  if (typeof (window as unknown as SaveFilePickerWindow).showSaveFilePicker === 'function')
    return 'file-system';
  if ('serviceWorker' in navigator && typeof ReadableStream !== 'undefined') return 'service-worker';
  return 'none';
}

async function ciphertext(href: string): Promise<ReadableStream<Uint8Array>> {
  const res = await fetch(href, { credentials: 'same-origin' });
  if (!res.ok || res.body === null) throw new Error(`download ${String(res.status)}`);
  return res.body;
}

async function activeWorker(): Promise<ServiceWorker> {
  const reg = await navigator.serviceWorker.register('/assets/islands/e2e-sw.js', {
    scope: '/assets/islands/',
    type: 'module',
  });
  if (reg.active !== null) return reg.active;
  const w = reg.installing ?? reg.waiting;
  if (w === null) throw new Error('service worker');
  return new Promise((resolve, reject) => {
    w.addEventListener('statechange', () => {
      if (w.state === 'activated') resolve(w);
      if (w.state === 'redundant') reject(new Error('service worker'));
    });
  });
}

/**
 * Decrypts `href` with `fileKey` to a file named `name`. Resolves when the file is written
 * (file system) or the whole file was handed to the browser's download (service worker).
 * @throws the decryption error (DecryptionFailedError) or a network error.
 */
export async function saveDecrypted(
  href: string,
  name: string,
  fileKey: Uint8Array,
  method = saveMethod(),
): Promise<void> {
  if (method === 'file-system') {
    const picker = (window as unknown as SaveFilePickerWindow).showSaveFilePicker;
    if (picker === undefined) throw new Error('no picker');
    const handle = await picker({ suggestedName: name });
    const writable = await handle.createWritable();
    // pipeTo aborts the writable when the source errors: the temporary file is discarded.
    await (await ciphertext(href)).pipeThrough(decryptStream(fileKey)).pipeTo(writable);
    return;
  }
  if (method === 'service-worker') {
    const worker = await activeWorker();
    // The worker gets the readable side; the page keeps the pipe, so it learns when the whole
    // file went through, or that decryption failed (pipeTo then aborts the writable side, which
    // errors the worker's stream and the browser marks the download failed).
    const plain = new TransformStream<Uint8Array, Uint8Array>();
    const source = (await ciphertext(href)).pipeThrough(decryptStream(fileKey));
    const id = crypto.randomUUID();
    const channel = new MessageChannel();
    const ready = new Promise<void>((resolve) => {
      channel.port1.onmessage = () => {
        resolve();
      };
    });
    worker.postMessage({ type: 'download', id, name, stream: plain.readable }, [
      plain.readable,
      channel.port2,
    ]);
    await ready;
    const done = source.pipeTo(plain.writable);
    const a = document.createElement('a');
    a.href = `/assets/islands/e2e-download/${id}/${encodeURIComponent(name)}`;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    await done;
    return;
  }
  throw new Error('no streaming');
}
