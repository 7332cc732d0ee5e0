// The download service worker for end-to-end encrypted files (islands/lib/save.ts): the page
// decrypts, and hands the plaintext stream over here; a navigation to
// /assets/islands/e2e-download/<id> is answered with that stream as an attachment, so the browser
// writes it to disk chunk by chunk. Its scope is /assets/islands/ (where it is served), so it
// needs no Service-Worker-Allowed header and controls no page.
interface DownloadMessage {
  type: 'download';
  id: string;
  name: string;
  stream: ReadableStream<Uint8Array>;
}
interface FetchEventLike extends Event {
  request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface ExtendableMessageEventLike extends MessageEvent {
  ports: readonly MessagePort[];
}
interface WorkerScope {
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEventLike) => void): void;
  addEventListener(
    type: 'install' | 'activate',
    listener: (event: Event & { waitUntil(p: Promise<unknown>): void }) => void,
  ): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
}

const scope = self as unknown as WorkerScope;
const waiting = new Map<string, DownloadMessage>();
const PREFIX = '/assets/islands/e2e-download/';

scope.addEventListener('install', (event) => {
  event.waitUntil(scope.skipWaiting());
});
scope.addEventListener('activate', (event) => {
  event.waitUntil(scope.clients.claim());
});
scope.addEventListener('message', (event) => {
  const data = event.data as Partial<DownloadMessage> | null;
  if (
    data?.type === 'download' &&
    typeof data.id === 'string' &&
    typeof data.name === 'string' &&
    data.stream instanceof ReadableStream
  ) {
    waiting.set(data.id, { type: 'download', id: data.id, name: data.name, stream: data.stream });
    event.ports[0]?.postMessage('ready');
  }
});
scope.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (!url.pathname.startsWith(PREFIX)) return;
  const id = url.pathname.slice(PREFIX.length).split('/')[0] ?? '';
  const item = waiting.get(id);
  if (item === undefined) {
    event.respondWith(new Response('not found', { status: 404 }));
    return;
  }
  waiting.delete(id);
  event.respondWith(
    new Response(item.stream, {
      headers: {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`,
        'x-content-type-options': 'nosniff',
      },
    }),
  );
});
