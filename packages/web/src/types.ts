import type { Html } from './html.ts';
import type { Locale } from '@amtsbote/contracts';

/** Everything the layout and every page need to know about the request. Built by the server. */
export interface PageContext {
  locale: Locale;
  tenant: { name: string; slug: string };
  /** The signed-in staff member, if any. */
  user: { displayName: string; email: string; isTenantAdmin: boolean } | undefined;
  /** The signed-in citizen (service account), if any; never together with `user`. */
  account?: { displayName: string; email: string } | undefined;
  /** Goes into every form as the hidden `_csrf` field. */
  csrfToken: string;
  /** The request path without query string. */
  path: string;
  /** A notice after redirect-after-POST (the server picks it from a fixed list). */
  flash: { kind: 'success' | 'info'; message: string } | undefined;
}

/** A problem with one form field, shown next to the field and in the form's error summary. */
export interface FieldError {
  field: string;
  message: string;
}

/** What a page function returns: the server wraps it in the layout with {@link renderPage}. */
export interface Page {
  title: string;
  body: Html;
  status?: number;
}

/** A form's current values and problems, for re-showing it after a failed POST. */
export interface FormState {
  values: Record<string, string>;
  errors: FieldError[];
}
