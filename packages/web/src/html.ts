/**
 * Markup that is safe to put into a page as it is. The server's types know only this shape;
 * inside this package every value of it comes from {@link html} or {@link trustedHtml}.
 */
export interface Html {
  readonly __html: string;
}

/** What may appear inside `${…}` in an {@link html} template. */
export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

// Only objects made here count as markup. A look-alike `{ "__html": "<script>" }` from tenant
// settings (JSON) or a request body is escaped like any other text.
const minted = new WeakSet<Html>();

function mint(markup: string): Html {
  const h: Html = Object.freeze({ __html: markup });
  minted.add(h);
  return h;
}

/** Whether a value is markup made by this module (and so may be inserted unescaped). */
export function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && minted.has(value as Html);
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for element content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c] ?? c);
}

function render(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return escapeHtml(String(value));
  if (Array.isArray(value)) return value.map(render).join('');
  if (isHtml(value)) return value.__html;
  // Anything else (a forged {__html}, a stray object from JSON) is shown as text, never as markup.
  const forged = (value as { __html?: unknown }).__html;
  return escapeHtml(typeof forged === 'string' ? forged : '');
}

/**
 * Tagged template for markup. Every interpolation is escaped unless it is itself {@link Html};
 * `false`, `null` and `undefined` render nothing, so `${cond && html`…`}` works; arrays are
 * concatenated. Interpolate only into element content or double-quoted attribute values.
 */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return mint(out);
}

/**
 * Marks a string as markup without escaping it. Only for markup this package produced itself
 * (never for data): the name makes every use easy to find and review.
 */
export function trustedHtml(markup: string): Html {
  return mint(markup);
}

/** Joins fragments with a separator (escaped unless it is Html). */
export function join(items: readonly Interpolation[], separator: Interpolation = ''): Html {
  const sep = render(separator);
  return mint(items.map(render).join(sep));
}

/**
 * A URL that is safe as an href: same-site paths, http(s), mailto and tel. Anything else (for
 * example `javascript:` from a tenant setting) becomes undefined, so the caller renders text.
 */
export function safeHref(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const u = url.trim();
  if (u === '') return undefined;
  if (u.startsWith('/') && !u.startsWith('//') && !u.includes('\\')) return u;
  if (u.startsWith('#')) return u;
  return /^(https?:\/\/[^\s/]|mailto:[^\s]|tel:[+\d])/i.test(u) ? u : undefined;
}

/** Text with line breaks kept: each line escaped, joined with <br>. For addresses. */
export function lines(text: string): Html {
  return join(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== ''),
    trustedHtml('<br>'),
  );
}
