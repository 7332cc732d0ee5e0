/**
 * Stands in for the portal's origin when a value is resolved: only the path is ever kept, so which
 * host the portal has does not matter, only that the value cannot leave it. `.invalid` is
 * reserved (RFC 2606): no real host can ever be this one.
 */
const BASE = new URL('http://portal.invalid/');

/**
 * A `next` or return value made safe to redirect to after sign-in, registration or a proof: the
 * path (with query and fragment) on this portal, or undefined for anything else, and the caller
 * falls back to its default page.
 *
 * The value is resolved the way a browser resolves a `Location` header (`new URL(value, base)`)
 * and kept only when it stays on the origin. Checking the string alone is not enough: browsers
 * drop tab, CR and LF inside a URL (`/\t/evil` becomes `//evil`) and read `\` as `/` (`/\evil`),
 * both of which leave the origin; CR and LF in a header would also make Node refuse the reply (a
 * 500 instead of the default page). So control characters and backslashes are refused outright,
 * and the answer is the parsed form, not the input: ASCII only (safe in a header) and exactly what
 * was checked.
 */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || !next.startsWith('/')) return undefined;
  // C0 controls (tab, CR, LF, NUL …), DEL and backslashes: see above.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return undefined;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE.origin) return undefined;
  // `/..//evil` resolves to the path `//evil`, which a browser would read as another host.
  if (url.pathname.startsWith('//')) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
