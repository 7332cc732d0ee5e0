// Progressive enhancement for forms that come back with errors: focus the error summary, so
// keyboard and screen-reader users start at the list of problems, and make each link in it
// focus its field (a plain #fragment only scrolls) with the field's label in view.
import { linkSummaryToFields } from './lib/errors.ts';

const summary = document.querySelector<HTMLElement>('[data-error-summary]');
if (summary !== null) {
  summary.focus();
  linkSummaryToFields(summary);
}
