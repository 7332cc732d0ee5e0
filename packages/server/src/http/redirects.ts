/** Only same-site relative paths may be redirect targets after login (no open redirect). */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\'))
    return undefined;
  return next;
}
