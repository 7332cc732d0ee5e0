import { islandScript } from './components/islands.ts';
import { csrfInput } from './components/forms.ts';
import type { Html } from './html.ts';
import { escapeHtml, html, trustedHtml } from './html.ts';
import { messages } from './i18n/index.ts';
import type { Locale } from '@amtsbote/contracts';
import { locales } from '@amtsbote/contracts';
import { pagePathFor } from './routes.ts';
import { paths } from '@amtsbote/contracts';
import { privacyPaths } from '@amtsbote/contracts';
import { accountNav } from './pages/account-nav.ts';
import { accountPaths } from '@amtsbote/contracts';
import type { PageContext } from './types.ts';

/** Stylesheets every page loads, in cascade order. All from 'self' (see assets.ts). */
export const STYLESHEETS = [
  '/assets/kern/kern.min.css',
  '/assets/kern/fonts/fira-sans.css',
  '/assets/amtsbote.css',
];

// Language names are written in their own language, so each reader finds theirs.
const languageNames: Record<Locale, string> = { de: 'Deutsch', en: 'English' };

function languageSwitch(ctx: PageContext): Html {
  const t = messages(ctx.locale).layout;
  const target = pagePathFor(ctx.path);
  return html`<nav class="ab-language" aria-label="${t.languageNav}">
    <ul class="ab-inline-list">
      ${locales.map((l) =>
        l === ctx.locale
          ? html`<li>
              <a class="kern-link" href="${target}?lang=${l}" hreflang="${l}" lang="${l}" aria-current="true"
                >${languageNames[l]}<span class="ab-sr-only"> ${t.currentLanguage}</span></a
              >
            </li>`
          : html`<li>
              <a class="kern-link" href="${target}?lang=${l}" hreflang="${l}" lang="${l}"
                >${languageNames[l]}</a
              >
            </li>`,
      )}
    </ul>
  </nav>`;
}

function staffNav(ctx: PageContext): Html {
  const t = messages(ctx.locale).layout;
  const current = (p: string): Html => (ctx.path === p ? html` aria-current="page"` : html``);
  if (ctx.account !== undefined) return accountNav(ctx, ctx.account);
  if (ctx.user === undefined) {
    return html`<nav class="ab-nav" aria-label="${t.mainNav}">
      <ul class="ab-inline-list">
        <li>
          <a class="kern-link" href="${accountPaths.login}" ${current(accountPaths.login)}
            >${messages(ctx.locale).accounts.nav.citizenLogin}</a
          >
        </li>
        <li><a class="kern-link" href="${paths.login}" ${current(paths.login)}>${t.navLogin}</a></li>
      </ul>
    </nav>`;
  }
  return html`<nav class="ab-nav" aria-label="${t.mainNav}">
    <ul class="ab-inline-list">
      <li><a class="kern-link" href="${paths.staffHome}" ${current(paths.staffHome)}>${t.navHome}</a></li>
      <li><a class="kern-link" href="${paths.postbox}" ${current(paths.postbox)}>${t.navPostbox}</a></li>
      <li><a class="kern-link" href="${paths.compose}" ${current(paths.compose)}>${t.navCompose}</a></li>
      <li>
        <a class="kern-link" href="/inbox" ${current('/inbox')}>${messages(ctx.locale).inbound.nav.inbox}</a>
      </li>
      <li>
        <a class="kern-link" href="/upload-links" ${current('/upload-links')}
          >${messages(ctx.locale).inbound.nav.uploadLinks}</a
        >
      </li>
      <li><a class="kern-link" href="/keys" ${current('/keys')}>${messages(ctx.locale).e2eKeys.nav}</a></li>
      ${ctx.user.isTenantAdmin && html`<li><a class="kern-link" href="${paths.admin}" ${current(paths.admin)}>${t.navAdmin}</a></li>`}
      ${ctx.user.isTenantAdmin && html`<li><a class="kern-link" href="${privacyPaths.admin}" ${current(privacyPaths.admin)}>${messages(ctx.locale).retention.admin.nav}</a></li>`}
    </ul>
    <p class="kern-body kern-body--small ab-signed-in">${t.signedInAs(ctx.user.displayName)}</p>
    <div class="ab-inline-list">
      <form method="post" action="${paths.logout}" class="ab-inline-form">
        ${csrfInput(ctx.csrfToken)}<button
          type="submit"
          class="kern-btn kern-btn--secondary kern-btn--x-small"
        >
          <span class="kern-label">${t.logout}</span>
        </button>
      </form>
      <form method="post" action="${paths.logoutAll}" class="ab-inline-form">
        ${csrfInput(ctx.csrfToken)}<button
          type="submit"
          class="kern-btn kern-btn--tertiary kern-btn--x-small"
        >
          <span class="kern-label">${t.logoutAll}</span>
        </button>
      </form>
    </div>
  </nav>`;
}

function flash(ctx: PageContext): Html {
  const t = messages(ctx.locale).layout;
  // The live region is always there, so assistive technology knows it before it has content.
  const f = ctx.flash;
  return html`<div class="ab-flash" role="status">
    ${
      f === undefined
        ? ''
        : html`<div class="kern-alert kern-alert--${f.kind} ab-alert">
            <div class="kern-alert__header">
              <span class="kern-icon kern-icon--${f.kind}" aria-hidden="true"></span
              ><span class="kern-title">${f.kind === 'success' ? t.noticeSuccess : t.noticeInfo}</span>
            </div>
            <div class="kern-alert__body"><p class="kern-body">${f.message}</p></div>
          </div>`
    }
  </div>`;
}

function footer(ctx: PageContext): Html {
  const t = messages(ctx.locale).layout;
  const links: [string, string][] = [
    [paths.privacy, t.footerPrivacy],
    [paths.imprint, t.footerImprint],
    [paths.accessibility, t.footerAccessibility],
    [paths.easyLanguage, t.footerEasyLanguage],
    [paths.apiDocs, t.footerApi],
  ];
  return html`<footer class="ab-footer">
    <div class="kern-container ab-container">
      <nav aria-label="${t.footerNav}">
        <ul class="ab-inline-list">
          ${links.map(([href, text]) => html`<li><a class="kern-link" href="${href}" ${ctx.path === href ? html` aria-current="page"` : ''}>${text}</a></li>`)}
        </ul>
      </nav>
      <p class="kern-body kern-body--small">${t.footerSoftware}</p>
    </div>
  </footer>`;
}

// A CSRF field as csrfInput() writes it. Only our own markup can contain this: in escaped
// data a quote is always &quot;.
const CSRF_VALUE = /(name="_csrf" value=")[^"]*(")/g;

/**
 * Every form in the page gets the token of the context the layout renders with. The server
 * builds a context for the page function and another for the layout; for a first-time visitor
 * each build mints a new CSRF secret and only the last cookie set survives, so the page's forms
 * must carry the layout's token, the same one as the sign-out forms.
 */
function withCsrfToken(body: Html, token: string): Html {
  return trustedHtml(
    body.__html.replace(CSRF_VALUE, (_m, start: string, end: string) => `${start}${escapeHtml(token)}${end}`),
  );
}

/**
 * The whole HTML document for a page: language, tenant header, skip link, navigation,
 * notice, the page's own body in `<main id="main">`, and the footer. No inline script or
 * style anywhere (the CSP forbids both); every value is escaped by {@link html}.
 */
export function renderPage(ctx: PageContext, page: { title: string; body: Html; status?: number }): string {
  const t = messages(ctx.locale).layout;
  const body = withCsrfToken(page.body, ctx.csrfToken);
  const doc = html`<!doctype html>
    <html lang="${ctx.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title} – ${ctx.tenant.name}</title>
        ${STYLESHEETS.map((href) => html`<link rel="stylesheet" href="${href}" />`)}
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="ab-skip-link" href="#main">${t.skipLink}</a>
        <header class="ab-header">
          <div class="kern-container ab-container ab-header__inner">
            <div class="ab-brand">
              <p class="ab-brand__name">
                <a class="ab-brand__link" href="${paths.start}">${ctx.tenant.name}</a>
              </p>
              <p class="ab-brand__product">${t.productLine}</p>
            </div>
            ${languageSwitch(ctx)} ${staffNav(ctx)}
          </div>
        </header>
        <main id="main" tabindex="-1" class="kern-container ab-container ab-main">${flash(ctx)} ${body}</main>
        ${footer(ctx)} ${(ctx.user !== undefined || ctx.account !== undefined) && islandScript('key-session')}
      </body>
    </html> `;
  return doc.__html;
}
