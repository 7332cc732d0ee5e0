import { link, pageHeading, sectionHeading, subHeading, table, tableRow } from '../components/ui.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import type { Messages } from '../i18n/index.ts';
import { messages } from '../i18n/index.ts';
import { paths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../types.ts';
import type { Json } from './api-schema.ts';
import { arr, describe, obj, resolveRef, schemaView, str, typeLabel } from './api-schema.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

interface Operation {
  id: string;
  method: string;
  path: string;
  op: Json;
  /** Path-level and operation-level parameters, the latter winning. */
  parameters: Json[];
}

function operationsOf(doc: Json): Operation[] {
  const out: Operation[] = [];
  const used = new Set<string>();
  for (const [path, item] of Object.entries(obj(doc.paths) ?? {})) {
    const pathItem = obj(item);
    if (pathItem === undefined) continue;
    const shared = arr(pathItem.parameters);
    for (const method of METHODS) {
      const op = obj(pathItem[method]);
      if (op === undefined) continue;
      const byKey = new Map<string, Json>();
      for (const p of [...shared, ...arr(op.parameters)]) {
        const param = resolveRef(doc, p).schema;
        if (param !== undefined) byKey.set(`${str(param.in) ?? ''}:${str(param.name) ?? ''}`, param);
      }
      // Ids from method and path, unique on the page, safe as fragment and attribute.
      let id = `op-${method}-${path.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '')}`.toLowerCase();
      while (used.has(id)) id += '-x';
      used.add(id);
      out.push({ id, method, path, op, parameters: [...byKey.values()] });
    }
  }
  return out;
}

function locationLabel(t: Messages['api'], where: string): string {
  switch (where) {
    case 'path':
      return t.locationPath;
    case 'query':
      return t.locationQuery;
    case 'header':
      return t.locationHeader;
    case 'cookie':
      return t.locationCookie;
    default:
      return where;
  }
}

function contentView(doc: Json, content: unknown, t: Messages['api']): Html {
  const entries = Object.entries(obj(content) ?? {});
  if (entries.length === 0) return html`<p class="kern-body">${t.noBody}</p>`;
  return html`${entries.map(
    ([mime, media]) =>
      html`<div class="kern-body">
        <p><code>${mime}</code></p>
        ${schemaView(doc, obj(media)?.schema, t)}
      </div>`,
  )}`;
}

function operationView(doc: Json, o: Operation, t: Messages['api'], globalSecurity: boolean): Html {
  const summary = str(o.op.summary);
  const description = str(o.op.description);
  const tags = arr(o.op.tags).filter((x): x is string => typeof x === 'string');
  const security = o.op.security === undefined ? globalSecurity : arr(o.op.security).length > 0;
  const body = resolveRef(doc, o.op.requestBody).schema;
  const responses = Object.entries(obj(o.op.responses) ?? {});
  return html`<section class="ab-section ab-operation" aria-labelledby="${o.id}">
    <h2 class="kern-heading-medium" id="${o.id}">
      <span class="ab-method">${o.method.toUpperCase()}</span> <code>${o.path}</code>
    </h2>
    ${summary !== undefined && html`<p class="kern-body">${describe(summary)}</p>`}
    ${description !== undefined && html`<p class="kern-body">${describe(description)}</p>`}
    ${tags.length > 0 && html`<p class="kern-body kern-body--small">${t.area}: ${tags.join(', ')}</p>`}
    ${security && html`<p class="kern-body kern-body--small">${t.authRequired}</p>`}
    ${
      o.parameters.length > 0 &&
      html`${subHeading(t.parameters)}
      ${table({
        id: `${o.id}-params`,
        caption: html`${t.parameters}: ${o.method.toUpperCase()} ${o.path}`,
        captionHidden: true,
        head: [t.colName, t.colLocation, t.colType, t.colRequired, t.colDescription],
        rows: o.parameters.map((p) => {
          const schema = resolveRef(doc, p.schema).schema;
          return tableRow([
            html`<code>${str(p.name) ?? ''}</code>`,
            locationLabel(t, str(p.in) ?? ''),
            schema === undefined ? '' : html`<code>${typeLabel(schema)}</code>`,
            p.required === true ? t.yes : t.no,
            describe(str(p.description) ?? str(schema?.description) ?? ''),
          ]);
        }),
      })}`
    }
    ${body !== undefined && html`${subHeading(t.requestBody)} ${contentView(doc, body.content, t)}`}
    ${
      responses.length > 0 &&
      html`${subHeading(t.responses)}
        <dl class="ab-responses">
          ${responses.map(([status, r]) => {
            const resp = resolveRef(doc, r).schema;
            return html`<dt class="kern-body kern-body--bold">
                <code>${status}</code
                >${str(resp?.description) !== undefined && html` – ${str(resp?.description)}`}
              </dt>
              <dd>
                ${resp?.content === undefined ? html`<p class="kern-body">${t.noBody}</p>` : contentView(doc, resp.content, t)}
              </dd>`;
          })}
        </dl>`
    }
  </section>`;
}

/**
 * The API reference, rendered from the server's OpenAPI document: every path and method with
 * summary, parameters, request body and responses. The raw document is linked for tools.
 */
export function apiReferenceFromSpec(ctx: PageContext, spec: unknown): Page {
  const t = messages(ctx.locale).api;
  const doc = obj(spec) ?? {};
  const info = obj(doc.info) ?? {};
  const ops = operationsOf(doc);
  const globalSecurity = arr(doc.security).length > 0;
  const title = str(info.title);
  const version = str(info.version);
  const description = str(info.description);
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${t.intro}</p>
      ${title !== undefined && html`<p class="kern-body kern-body--bold">${title}${version !== undefined && html`, Version ${version}`}</p>`}
      <p class="kern-body">${link(paths.openApi, t.specLink)}</p>
      <section class="ab-section" aria-labelledby="api-auth">
        ${sectionHeading(t.authHeading, 'api-auth')}
        <p class="kern-body">${describe(t.authText)}</p>
        ${description !== undefined && html`<p class="kern-body">${describe(description)}</p>`}
      </section>
      ${
        ops.length === 0
          ? html`<p class="kern-body">${t.noOperations}</p>`
          : html`<nav class="ab-section" aria-labelledby="api-contents">
                ${sectionHeading(t.contents, 'api-contents')}
                <ul class="kern-list">
                  ${ops.map(
                    (o) =>
                      html`<li>
                        <a class="kern-link" href="#${o.id}"
                          ><code>${o.method.toUpperCase()} ${o.path}</code
                          >${str(o.op.summary) !== undefined && html` – ${str(o.op.summary)}`}</a
                        >
                      </li>`,
                  )}
                </ul>
              </nav>
              ${ops.map((o) => operationView(doc, o, t, globalSecurity))}`
      }`,
  };
}
