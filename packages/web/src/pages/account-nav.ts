import { csrfInput } from '../components/forms.ts';
import { privacyPaths } from '@amtsbote/contracts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { accountPaths, organisationPaths } from '@amtsbote/contracts';
import { paths } from '@amtsbote/contracts';
import { accountTokenPaths } from '@amtsbote/contracts';
import type { PageContext } from '../types.ts';

/** The header navigation for a signed-in citizen: their account, organisations, sign-out. */
export function accountNav(ctx: PageContext, account: { displayName: string; email: string }): Html {
  const l = messages(ctx.locale).layout;
  const t = messages(ctx.locale).accounts.nav;
  const current = (p: string): Html => (ctx.path === p ? html` aria-current="page"` : html``);
  return html`<nav class="ab-nav" aria-label="${l.mainNav}">
    <ul class="ab-inline-list">
      <li><a class="kern-link" href="${accountPaths.home}" ${current(accountPaths.home)}>${t.account}</a></li>
      <li>
        <a class="kern-link" href="${organisationPaths.list}" ${current(organisationPaths.list)}
          >${t.organisations}</a
        >
      </li>
      <li>
        <a class="kern-link" href="${accountPaths.sessions}" ${current(accountPaths.sessions)}
          >${t.sessions}</a
        >
      </li>
      <li>
        <a class="kern-link" href="${accountTokenPaths.list}" ${current(accountTokenPaths.list)}
          >${messages(ctx.locale).accountTokens.nav}</a
        >
      </li>
      <li>
        <a class="kern-link" href="${privacyPaths.myData}" ${current(privacyPaths.myData)}
          >${messages(ctx.locale).retention.myData.nav}</a
        >
      </li>
    </ul>
    <p class="kern-body kern-body--small ab-signed-in">${l.signedInAs(account.displayName)}</p>
    <div class="ab-inline-list">
      <form method="post" action="${paths.logout}" class="ab-inline-form">
        ${csrfInput(ctx.csrfToken)}<button
          type="submit"
          class="kern-btn kern-btn--secondary kern-btn--x-small"
        >
          <span class="kern-label">${l.logout}</span>
        </button>
      </form>
    </div>
  </nav>`;
}
