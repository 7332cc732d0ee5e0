// Reading an OpenAPI document defensively (it is plain JSON: any field may be missing) and
// showing JSON Schemas as nested lists people can read.
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import type { Messages } from '../i18n/index.ts';

/** A JSON object of unknown shape. */
export type Json = Record<string, unknown>;

/** The value if it is a plain object. */
export function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** The value if it is a string. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The value if it is an array, else an empty one. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

/** Follows a local `$ref` (`#/components/…`) within the document; other refs stay unresolved. */
export function resolveRef(
  doc: Json,
  value: unknown,
  seen: ReadonlySet<string> = new Set(),
): { schema: Json | undefined; ref?: string } {
  const o = obj(value);
  const ref = str(o?.$ref);
  if (o === undefined || ref === undefined) return { schema: o };
  if (!ref.startsWith('#/') || seen.has(ref)) return { schema: undefined, ref };
  let cur: unknown = doc;
  for (const part of ref.slice(2).split('/')) cur = obj(cur)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return { schema: obj(cur), ref };
}

/** "string (email, ≤ 254)", "array of object", "integer | null" … */
export function typeLabel(s: Json): string {
  const type = s.type;
  let base = Array.isArray(type) ? type.filter((x) => typeof x === 'string').join(' | ') : (str(type) ?? '');
  if (base === '' && s.properties !== undefined) base = 'object';
  if (base === 'array') {
    const items = obj(s.items);
    const inner = items === undefined ? '' : (str(items.$ref)?.split('/').at(-1) ?? typeLabel(items));
    base = inner === '' ? 'array' : `array<${inner}>`;
  }
  const format = str(s.format);
  return format === undefined ? base : `${base} (${format})`;
}

function constraints(s: Json, t: Messages['api']): string[] {
  const out: string[] = [];
  const n = (k: string): number | undefined => (typeof s[k] === 'number' ? s[k] : undefined);
  if (n('minLength') !== undefined) out.push(`≥ ${String(n('minLength'))}`);
  if (n('maxLength') !== undefined) out.push(`≤ ${String(n('maxLength'))}`);
  if (n('minimum') !== undefined) out.push(`≥ ${String(n('minimum'))}`);
  if (n('maximum') !== undefined) out.push(`≤ ${String(n('maximum'))}`);
  const pattern = str(s.pattern);
  if (pattern !== undefined) out.push(`pattern ${pattern}`);
  const en = arr(s.enum);
  if (en.length > 0) out.push(`${t.allowedValues}: ${en.map((e) => JSON.stringify(e)).join(', ')}`);
  return out;
}

const MAX_DEPTH = 6;

/** One schema as a nested list: properties with type, required flag, limits and description. */
export function schemaView(
  doc: Json,
  value: unknown,
  t: Messages['api'],
  depth = 0,
  seen: ReadonlySet<string> = new Set(),
): Html {
  const { schema, ref } = resolveRef(doc, value, seen);
  const refName = ref?.split('/').at(-1);
  if (schema === undefined) return html`<code>${refName ?? '–'}</code>`;
  const nextSeen = ref === undefined ? seen : new Set([...seen, ref]);
  if (depth >= MAX_DEPTH) return html`<code>${refName ?? typeLabel(schema)}</code>`;

  const variants = [...arr(schema.anyOf), ...arr(schema.oneOf)];
  if (variants.length > 0) {
    return html`<ul class="ab-schema">
      ${variants.map((v) => html`<li>${schemaView(doc, v, t, depth + 1, nextSeen)}</li>`)}
    </ul>`;
  }

  const props = obj(schema.properties);
  const items = obj(schema.items);
  const limits = constraints(schema, t);
  const head = html`<code>${typeLabel(schema)}</code>${limits.length > 0 && html` – ${limits.join(', ')}`}${
      str(schema.description) !== undefined && html` – ${str(schema.description)}`
    }`;
  if (props !== undefined) {
    const required = new Set(arr(schema.required).filter((r): r is string => typeof r === 'string'));
    return html`${head}
      <ul class="ab-schema">
        ${Object.entries(props).map(
          ([name, p]) =>
            html`<li>
              <code>${name}</code>${required.has(name) && html` (${t.colRequired.toLowerCase()})`}:
              ${schemaView(doc, p, t, depth + 1, nextSeen)}
            </li>`,
        )}
      </ul>`;
  }
  if (items !== undefined && (obj(items.properties) !== undefined || str(items.$ref) !== undefined)) {
    return html`${head}
      <ul class="ab-schema">
        <li>${schemaView(doc, items, t, depth + 1, nextSeen)}</li>
      </ul>`;
  }
  return head;
}

/** Inline `code` in OpenAPI descriptions (Markdown backticks) as <code>; everything else as text. */
export function describe(text: string): Html {
  return html`${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}
