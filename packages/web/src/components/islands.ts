import type { Html } from '../html.ts';
import { html } from '../html.ts';

/** URL path under which the browser islands (src/islands/<name>.ts) are served. */
export const ISLANDS_PATH = '/assets/islands/';

/**
 * The script tag that loads one island. Islands are ES modules from 'self' (the CSP allows
 * nothing else), deferred by nature, and run once per page however often they are included.
 * A page without JavaScript works the same, only less comfortably.
 */
export function islandScript(name: string): Html {
  return html`<script type="module" src="${ISLANDS_PATH}${name}.js"></script>`;
}
