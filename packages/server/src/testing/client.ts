import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A browser in miniature over app.inject(): keeps cookies, and fills in the CSRF token from the
 * last page it loaded, the way a real form submission would.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;
  readonly app: FastifyInstance;
  readonly host: string;

  constructor(app: FastifyInstance, host = 'localhost') {
    this.app = app;
    this.host = host;
  }

  private cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const gone =
        c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now());
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const header = res.headers['content-type'];
    const type = typeof header === 'string' ? header : '';
    if (type.startsWith('text/html')) {
      const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
      if (m?.[1] !== undefined) this.csrfToken = m[1];
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const cookie = this.cookieHeader();
    const res = await this.app.inject({
      method: 'GET',
      url,
      headers: { host: this.host, ...(cookie === undefined ? {} : { cookie }), ...headers },
    });
    this.remember(res);
    return res;
  }

  /** Posts a form as a browser would, with the CSRF token of the last page unless given. */
  async postForm(
    url: string,
    fields: Record<string, string>,
    opts: { csrf?: string | false } = {},
  ): Promise<LightMyRequestResponse> {
    const cookie = this.cookieHeader();
    const body = new URLSearchParams(fields);
    const token = opts.csrf ?? this.csrfToken;
    if (token !== false && token !== undefined) body.set('_csrf', token);
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: {
        host: this.host,
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie === undefined ? {} : { cookie }),
      },
      payload: body.toString(),
    });
    this.remember(res);
    return res;
  }

  /** Sends JSON with the session cookie and the CSRF header, as a page's script would. */
  async json(
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload: unknown,
  ): Promise<LightMyRequestResponse> {
    const cookie = this.cookieHeader();
    const res = await this.app.inject({
      method,
      url,
      headers: {
        host: this.host,
        'content-type': 'application/json',
        ...(this.csrfToken === undefined ? {} : { 'x-csrf-token': this.csrfToken }),
        ...(cookie === undefined ? {} : { cookie }),
      },
      payload: JSON.stringify(payload),
    });
    this.remember(res);
    return res;
  }
}
