// The organisation picker on the staff compose page (pages/compose.ts): a text field with a
// native <datalist>, filled while the caseworker types from the tenant's organisation directory
// (GET /api/v1/organisations/directory, staff only, 20 matches at most). A chosen organisation
// resolves to its contact address, which is its postbox (drafts address it by that address).
// A datalist keeps the browser's own accessible suggestion list: no custom combobox to get wrong.
import type { OrgKeysMessages } from '../../i18n/org-keys.de.ts';
import type { FieldMessage } from './errors.ts';

interface Entry {
  name: string;
  contactEmail: string;
}

function isEntry(v: unknown): v is Entry {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Record<string, unknown>).name === 'string' &&
    typeof (v as Record<string, unknown>).contactEmail === 'string'
  );
}

export interface OrganisationPicker {
  /** The chosen organisation's postbox address, nothing when the field is empty, or a problem. */
  resolve(): { email?: string; problem?: FieldMessage };
}

const DELAY_MS = 200;

export function enhanceOrganisationPicker(
  form: HTMLFormElement,
  t: OrgKeysMessages['picker'],
): OrganisationPicker | undefined {
  const input = form.elements.namedItem('organisation');
  const list = form.querySelector<HTMLDataListElement>('datalist[data-org-picker]');
  if (!(input instanceof HTMLInputElement) || list === null) return undefined;
  const status = form.querySelector<HTMLElement>('[data-org-picker-status]');
  input.setAttribute('list', list.id);
  /** Every suggestion shown so far, by the text the option puts into the field. */
  const known = new Map<string, Entry>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = '';

  const search = async (q: string): Promise<void> => {
    asked = q;
    const res = await fetch(`/api/v1/organisations/directory?q=${encodeURIComponent(q)}`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (!res.ok || asked !== q) return;
    const found: unknown = await res.json();
    const entries = Array.isArray(found) ? found.filter(isEntry) : [];
    const names = entries.map((e) => e.name.toLowerCase());
    const options = entries.map((e) => {
      // Two organisations of the same name are told apart by their address.
      const twin = names.filter((n) => n === e.name.toLowerCase()).length > 1;
      const label = twin ? `${e.name} (${e.contactEmail})` : e.name;
      known.set(label, e);
      const option = document.createElement('option');
      option.value = label;
      return option;
    });
    list.replaceChildren(...options);
    if (status !== null) status.textContent = t.found(entries.length);
  };

  input.addEventListener('input', () => {
    const q = input.value.trim();
    if (timer !== undefined) clearTimeout(timer);
    if (q.length < 2 || known.has(q)) return;
    timer = setTimeout(() => {
      void search(q).catch(() => undefined);
    }, DELAY_MS);
  });

  return {
    resolve() {
      const value = input.value.trim();
      if (value === '') return {};
      const exact = known.get(value);
      if (exact !== undefined) return { email: exact.contactEmail };
      const byName = [...known.values()].filter((e) => e.name.toLowerCase() === value.toLowerCase());
      const [only] = byName;
      if (only !== undefined && byName.length === 1) return { email: only.contactEmail };
      return { problem: { field: 'organisation', message: t.notFound(value) } };
    },
  };
}
