import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { FieldError, PageContext } from '../types.ts';
import { islandScript } from './islands.ts';

/** The CSRF token as the hidden field the server reads (`_csrf`). Goes into every POST form. */
export function csrfInput(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

/** A hidden field, e.g. the token of a one-time link or the `next` path after sign-in. */
export function hiddenInput(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}" />`;
}

interface FieldBase {
  name: string;
  label: string;
  hint?: string;
  /** Marks the field as optional in its label when false (required fields are the rule). */
  required?: boolean;
}

/** A text, e-mail or password field. */
export interface InputSpec extends FieldBase {
  type?: 'text' | 'email' | 'password';
  /** Always given: it lets browsers and password managers fill the field (WCAG 1.3.5). */
  autocomplete: string;
  value?: string;
  maxlength?: number;
  minlength?: number;
  readonly?: boolean;
  /** The keyboard phones show, e.g. digits only for a one-time code. */
  inputmode?: 'numeric' | 'email' | 'text';
  /** A pattern the browser may check (the server checks anyway). */
  pattern?: string;
}

/** A multi-line text field. */
export interface TextAreaSpec extends FieldBase {
  value?: string;
  maxlength?: number;
  rows?: number;
  /** Off for fields where the browser's suggestions would be wrong (other people's addresses). */
  autocomplete?: 'off';
  spellcheck?: boolean;
}

/** A file chooser. Files are only ever sent by an island (see islands/), never by the form. */
export interface FileSpec extends FieldBase {
  multiple?: boolean;
}

/** Radio buttons in a fieldset; each option may explain itself in a hint. */
export interface RadioGroupSpec extends FieldBase {
  options: readonly { value: string; label: string; hint?: string }[];
  value: string;
}

/** A drop-down list; an option with value '' stands for "none". */
export interface SelectSpec extends FieldBase {
  options: readonly { value: string; label: string }[];
  value?: string;
}

/** A single check box (sent as `on` when ticked, absent otherwise). */
export interface CheckboxSpec extends FieldBase {
  checked: boolean;
  value?: string;
}

/** A submit button; `name`/`value` let one form offer several actions. */
export interface SubmitSpec {
  label: string;
  variant?: 'primary' | 'secondary' | 'tertiary';
  name?: string;
  value?: string;
  /** Extra words for screen readers, e.g. which row the button acts on. */
  hiddenSuffix?: string;
  /** Disabled until an island takes over (a form that cannot work without JavaScript). */
  disabled?: boolean;
}

/** A button that submits its form, styled by KERN. */
export function submitButton(spec: SubmitSpec): Html {
  return html`<button
    type="submit"
    class="kern-btn kern-btn--${spec.variant ?? 'primary'}"
    ${spec.name === undefined ? '' : html` name="${spec.name}" value="${spec.value ?? ''}"`}${
      spec.disabled === true ? html` disabled` : ''
    }
  >
    <span class="kern-label"
      >${spec.label}${
        spec.hiddenSuffix === undefined ? '' : html`<span class="ab-sr-only"> ${spec.hiddenSuffix}</span>`
      }</span
    >
  </button>`;
}

/**
 * Field builders for one form. Field ids are `<formId>-<name>`, so two forms on one page can
 * both have an `email` field; errors for a field are shown next to it, marked `aria-invalid`
 * and tied to it with `aria-describedby`.
 */
export function formFields(ctx: PageContext, formId: string, errors: readonly FieldError[]) {
  const t = messages(ctx.locale).form;
  const id = (name: string): string => `${formId}-${name}`;
  const errorsOf = (name: string): string[] => errors.filter((e) => e.field === name).map((e) => e.message);

  // Optional fields say so in their label; read-only and check boxes are neither.
  const label = (f: FieldBase, forId: string, markOptional = f.required === false): Html =>
    html`<label class="kern-label" for="${forId}"
      >${f.label}${markOptional ? html` <span class="kern-label__optional">${t.optional}</span>` : ''}</label
    >`;

  const hint = (f: FieldBase): Html =>
    f.hint === undefined ? html`` : html`<div class="kern-hint" id="${id(f.name)}-hint">${f.hint}</div>`;

  const errorText = (name: string): Html => {
    const msgs = errorsOf(name);
    if (msgs.length === 0) return html``;
    return html`<p class="kern-error" id="${id(name)}-error">
      <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span
      ><span class="kern-body"><span class="ab-sr-only">${t.errorPrefix} </span>${msgs.join(' ')}</span>
    </p>`;
  };

  // The attributes that tie a control to its hint and error, and flag it when invalid.
  const described = (f: FieldBase, required = f.required !== false): Html => {
    const invalid = errorsOf(f.name).length > 0;
    const ids = [
      f.hint === undefined ? '' : `${id(f.name)}-hint`,
      invalid ? `${id(f.name)}-error` : '',
    ].filter((s) => s !== '');
    return html`${ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : ''}${invalid ? html` aria-invalid="true"` : ''}${
      required ? html` required` : ''
    }`;
  };

  const invalid = (name: string): boolean => errorsOf(name).length > 0;

  return {
    id,

    input(f: InputSpec): Html {
      const type = f.type ?? 'text';
      const readonly = f.readonly === true;
      return html`<div class="kern-form-input${invalid(f.name) ? ' kern-form-input--error' : ''}">
        ${label(f, id(f.name), !readonly && f.required === false)} ${hint(f)} ${errorText(f.name)}
        <input
          class="kern-form-input__input${invalid(f.name) ? ' kern-form-input__input--error' : ''}"
          id="${id(f.name)}"
          name="${f.name}"
          type="${type}"
          autocomplete="${f.autocomplete}"
          ${
            // Passwords are never sent back into a page.
            type === 'password' || f.value === undefined ? '' : html` value="${f.value}"`
          }${f.maxlength === undefined ? '' : html` maxlength="${f.maxlength}"`}${
            f.minlength === undefined ? '' : html` minlength="${f.minlength}"`
          }${type === 'email' ? html` spellcheck="false" autocapitalize="off"` : ''}${
            f.inputmode === undefined ? '' : html` inputmode="${f.inputmode}"`
          }${f.pattern === undefined ? '' : html` pattern="${f.pattern}"`}${readonly ? html` readonly` : ''}${described(f, !readonly && f.required !== false)}
        />
      </div>`;
    },

    textarea(f: TextAreaSpec): Html {
      return html`<div class="kern-form-input${invalid(f.name) ? ' kern-form-input--error' : ''}">
        ${label(f, id(f.name))} ${hint(f)} ${errorText(f.name)}
        <textarea
          class="kern-form-input__input${invalid(f.name) ? ' kern-form-input__input--error' : ''}"
          id="${id(f.name)}"
          name="${f.name}"
          rows="${f.rows ?? 6}"
          ${f.maxlength === undefined ? '' : html` maxlength="${f.maxlength}"`}${
            f.autocomplete === undefined ? '' : html` autocomplete="${f.autocomplete}"`
          }${f.spellcheck === false ? html` spellcheck="false" autocapitalize="off"` : ''}${described(f)}
        >
${f.value ?? ''}</textarea>
      </div>`;
    },

    file(f: FileSpec): Html {
      return html`<div class="kern-form-input${invalid(f.name) ? ' kern-form-input--error' : ''}">
        ${label(f, id(f.name))} ${hint(f)} ${errorText(f.name)}
        <input
          class="kern-form-input__input${invalid(f.name) ? ' kern-form-input__input--error' : ''}"
          id="${id(f.name)}"
          name="${f.name}"
          type="file"
          ${f.multiple === true ? html` multiple` : ''}${described(f)}
        />
      </div>`;
    },

    /** A fieldset of radio buttons; its id (`<form>-<name>`) is the fieldset's, for error links. */
    radios(f: RadioGroupSpec): Html {
      const bad = invalid(f.name);
      const ids = [f.hint === undefined ? '' : `${id(f.name)}-hint`, bad ? `${id(f.name)}-error` : ''].filter(
        (s) => s !== '',
      );
      return html`<fieldset
        class="kern-fieldset${bad ? ' kern-fieldset--error' : ''}"
        id="${id(f.name)}"
        ${ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : ''}
      >
        <legend class="kern-label">${f.label}</legend>
        ${hint(f)} ${errorText(f.name)}
        <div class="kern-fieldset__body">
          ${f.options.map((o) => {
            const oid = `${id(f.name)}-${o.value}`;
            return html`<div class="kern-form-check">
              <input
                class="kern-form-check__radio"
                id="${oid}"
                name="${f.name}"
                type="radio"
                value="${o.value}"
                ${o.value === f.value ? html` checked` : ''}${o.hint === undefined ? '' : html` aria-describedby="${oid}-hint"`}
              />
              <label class="kern-label" for="${oid}">${o.label}</label>
              ${o.hint === undefined ? '' : html`<div class="kern-hint" id="${oid}-hint">${o.hint}</div>`}
            </div>`;
          })}
        </div>
      </fieldset>`;
    },

    select(f: SelectSpec): Html {
      return html`<div class="kern-form-input${invalid(f.name) ? ' kern-form-input--error' : ''}">
        ${label(f, id(f.name))} ${hint(f)} ${errorText(f.name)}
        <div class="kern-form-input__select-wrapper">
          <select
            class="kern-form-input__select${invalid(f.name) ? ' kern-form-input__select--error' : ''}"
            id="${id(f.name)}"
            name="${f.name}"
            ${described(f)}
          >
            ${f.options.map((o) => html`<option value="${o.value}" ${o.value === (f.value ?? '') ? html` selected` : ''}>${o.label}</option>`)}
          </select>
        </div>
      </div>`;
    },

    checkbox(f: CheckboxSpec): Html {
      return html`<div class="kern-form-check${invalid(f.name) ? ' kern-form-check--error' : ''}">
        <input
          class="kern-form-check__checkbox${invalid(f.name) ? ' kern-form-check__checkbox--error' : ''}"
          id="${id(f.name)}"
          name="${f.name}"
          type="checkbox"
          value="${f.value ?? 'on'}"
          ${f.checked ? html` checked` : ''}${described(f, false)}
        />
        ${label(f, id(f.name), false)} ${hint(f)} ${errorText(f.name)}
      </div>`;
    },

    /**
     * The list of problems at the top of the form: a heading, and one link per problem that
     * leads to its field (errors for fields this form does not show are listed without link).
     */
    errorSummary(fields: readonly string[], headingLevel: 2 | 3 = 2): Html {
      if (errors.length === 0) return html``;
      const titleId = `${formId}-errors-title`;
      const heading =
        headingLevel === 2
          ? html`<h2 class="kern-title" id="${titleId}">${t.errorSummaryTitle}</h2>`
          : html`<h3 class="kern-title" id="${titleId}">${t.errorSummaryTitle}</h3>`;
      return html`<div
          class="kern-alert kern-alert--danger ab-error-summary"
          role="alert"
          aria-labelledby="${titleId}"
          tabindex="-1"
          data-error-summary
        >
          <div class="kern-alert__header">
            <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>${heading}
          </div>
          <div class="kern-alert__body">
            <ul class="kern-list kern-list--bullet">
              ${errors.map((e) =>
                fields.includes(e.field)
                  ? html`<li><a class="kern-link" href="#${id(e.field)}">${e.message}</a></li>`
                  : html`<li class="kern-body">${e.message}</li>`,
              )}
            </ul>
          </div>
        </div>
        ${islandScript('form-errors')}`;
    },
  };
}

/** See {@link postForm}. */
export interface PostFormOptions {
  id: string;
  action: string;
  ctx: PageContext;
  body: Html;
  /** Id of the heading that names the form, if any. */
  labelledBy?: string;
  className?: string;
  /** `data-*` attributes, e.g. the settings an island reads from the form. */
  data?: Readonly<Record<string, string | number>>;
}

// Attribute names come from code, never from data; this keeps it that way.
function dataName(key: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(key)) throw new Error(`not a data attribute name: ${key}`);
  return key;
}

/**
 * A POST form with the CSRF field. `novalidate`: the server's messages (the same in every
 * browser, and shown in the error summary) replace the browser's own bubbles.
 */
export function postForm(o: PostFormOptions): Html {
  return html`<form
    id="${o.id}"
    method="post"
    action="${o.action}"
    novalidate${o.labelledBy === undefined ? '' : html` aria-labelledby="${o.labelledBy}"`}
    class="${o.className ?? 'ab-form'}"
    ${Object.entries(o.data ?? {}).map(([k, v]) => html` data-${dataName(k)}="${v}"`)}
  >
    ${csrfInput(o.ctx.csrfToken)} ${o.body}
  </form>`;
}
