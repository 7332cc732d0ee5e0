// Form errors shown by an island exactly as the server shows them (components/forms.ts): a
// summary with a heading and one link per problem at the top of the form, and at each field an
// error text tied to it with aria-describedby, the field marked aria-invalid.

export interface FieldMessage {
  /** The field's name (`files`, `subject` …); '' or an unknown name lists it without a link. */
  field: string;
  message: string;
}

/** Focuses a form field with its label in view; false when the id is not a field. */
export function focusField(id: string): boolean {
  const field = document.getElementById(id);
  if (!(
    field instanceof HTMLInputElement ||
    field instanceof HTMLTextAreaElement ||
    field instanceof HTMLSelectElement
  )) {
    return false;
  }
  const label = document.querySelector(`label[for="${CSS.escape(id)}"]`);
  (label ?? field).scrollIntoView({ block: 'start' });
  field.focus({ preventScroll: true });
  return true;
}

/** Makes the links in an error summary focus their field instead of only scrolling. */
export function linkSummaryToFields(summary: HTMLElement): void {
  summary.addEventListener('click', (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const anchor = target.closest('a');
    const href = anchor?.getAttribute('href') ?? '';
    if (href.startsWith('#') && focusField(decodeURIComponent(href.slice(1)))) event.preventDefault();
  });
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** The control of a field, or undefined when the form has none of that name. */
function controlOf(formId: string, field: string): HTMLElement | undefined {
  if (field === '') return undefined;
  const node = document.getElementById(`${formId}-${field}`);
  return node ?? undefined;
}

function describedBy(node: HTMLElement, id: string, add: boolean): void {
  const ids = (node.getAttribute('aria-describedby') ?? '').split(' ').filter((s) => s !== '' && s !== id);
  if (add) ids.push(id);
  if (ids.length === 0) node.removeAttribute('aria-describedby');
  else node.setAttribute('aria-describedby', ids.join(' '));
}

/** Removes every error this module added to the form. */
export function clearErrors(form: HTMLFormElement): void {
  for (const node of form.querySelectorAll('[data-island-error]')) node.remove();
  for (const node of form.querySelectorAll<HTMLElement>('[data-island-invalid]')) {
    node.removeAttribute('aria-invalid');
    node.removeAttribute('data-island-invalid');
    node.classList.remove('kern-form-input__input--error', 'kern-form-input__select--error');
    describedBy(node, `${node.id}-error`, false);
    node.closest('.kern-form-input')?.classList.remove('kern-form-input--error');
    node.closest('.kern-fieldset')?.classList.remove('kern-fieldset--error');
  }
  const slot = form.querySelector('[data-island-errors]');
  slot?.replaceChildren();
}

/**
 * Shows problems: the summary (role=alert, focused) and the message at each field. `title` is
 * the summary's heading; `headingLevel` fits it into the page's outline.
 */
export function showErrors(
  form: HTMLFormElement,
  o: { title: string; errorPrefix: string; errors: readonly FieldMessage[]; headingLevel: 2 | 3 },
): void {
  clearErrors(form);
  if (o.errors.length === 0) return;
  const formId = form.id;
  const titleId = `${formId}-island-errors-title`;
  const items = o.errors.map((e) => {
    const control = controlOf(formId, e.field);
    return control === undefined
      ? el('li', { class: 'kern-body' }, [e.message])
      : el('li', {}, [el('a', { class: 'kern-link', href: `#${control.id}` }, [e.message])]);
  });
  const summary = el(
    'div',
    {
      class: 'kern-alert kern-alert--danger ab-error-summary',
      role: 'alert',
      'aria-labelledby': titleId,
      tabindex: '-1',
      'data-island-error': '',
    },
    [
      el('div', { class: 'kern-alert__header' }, [
        el('span', { class: 'kern-icon kern-icon--danger', 'aria-hidden': 'true' }),
        el(o.headingLevel === 2 ? 'h2' : 'h3', { class: 'kern-title', id: titleId }, [o.title]),
      ]),
      el('div', { class: 'kern-alert__body' }, [el('ul', { class: 'kern-list kern-list--bullet' }, items)]),
    ],
  );
  const slot = form.querySelector('[data-island-errors]') ?? form;
  slot.prepend(summary);
  linkSummaryToFields(summary);

  // Each field with problems: all its messages in one error text, like the server renders it.
  const byField = new Map<string, string[]>();
  for (const e of o.errors) {
    if (controlOf(formId, e.field) === undefined) continue;
    byField.set(e.field, [...(byField.get(e.field) ?? []), e.message]);
  }
  for (const [field, msgs] of byField) {
    const control = controlOf(formId, field);
    if (control === undefined) continue;
    const errorId = `${control.id}-error`;
    const text = el('p', { class: 'kern-error', id: errorId, 'data-island-error': '' }, [
      el('span', { class: 'kern-icon kern-icon--danger kern-icon--small', 'aria-hidden': 'true' }),
      el('span', { class: 'kern-body' }, [
        el('span', { class: 'ab-sr-only' }, [`${o.errorPrefix} `]),
        msgs.join(' '),
      ]),
    ]);
    if (control instanceof HTMLFieldSetElement) {
      control.classList.add('kern-fieldset--error');
      const legendOrHint = control.querySelector('.kern-hint') ?? control.querySelector('legend');
      legendOrHint?.after(text);
    } else {
      control.closest('.kern-form-input')?.classList.add('kern-form-input--error');
      control.classList.add(
        control instanceof HTMLSelectElement
          ? 'kern-form-input__select--error'
          : 'kern-form-input__input--error',
      );
      const wrapper = control.closest('.kern-form-input__select-wrapper') ?? control;
      wrapper.before(text);
      control.setAttribute('aria-invalid', 'true');
    }
    control.setAttribute('data-island-invalid', '');
    describedBy(control, errorId, true);
  }
  summary.focus();
}
