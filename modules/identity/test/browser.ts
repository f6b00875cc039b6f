// A minimal browser for protocol tests: follows redirects by hand and keeps cookies per host, so
// a test can walk an OpenID sign-in the way a person's browser would, form by form.
export class Browser {
  readonly #cookies = new Map<string, Map<string, string>>();
  /** Sent with every request, redirects included (e.g. the X-Forwarded-For a proxy would add). */
  #headers: Readonly<Record<string, string>>;

  constructor(headers: Readonly<Record<string, string>> = {}) {
    this.#headers = headers;
  }

  /** Sets a header of every later request (the browser moved: another X-Forwarded-For). */
  setHeader(name: string, value: string): void {
    this.#headers = { ...this.#headers, [name]: value };
  }

  /** The cookie of this name the browser holds for the host, if any. */
  cookie(host: string, name: string): string | undefined {
    return this.#cookies.get(host)?.get(name);
  }

  async request(
    url: string | URL,
    init: {
      method?: string;
      form?: Record<string, string>;
      headers?: Record<string, string>;
      /** A body of its own (JSON text, a file's bytes), with its content-type in `headers`. */
      body?: string | Uint8Array;
    } = {},
  ): Promise<Response> {
    const target = new URL(url);
    const jar = this.#cookies.get(target.host) ?? new Map<string, string>();
    const headers: Record<string, string> = { 'accept-language': 'en', ...this.#headers, ...init.headers };
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | Uint8Array | undefined = init.body;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(target, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.#cookies.set(target.host, jar);
    return response;
  }

  /** Follows redirects until one leaves for `stopAt` (returned unfetched) or a page answers. */
  async follow(
    url: string | URL,
    stopAt: string,
    init: Parameters<Browser['request']>[1] = {},
  ): Promise<{ url: URL; response?: Response }> {
    let current = new URL(url);
    let response = await this.request(current, init);
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get('location');
      if (!location || response.status < 300 || response.status >= 400) return { url: current, response };
      current = new URL(location, current);
      if (current.href.startsWith(stopAt)) return { url: current };
      response = await this.request(current);
    }
    throw new Error('too many redirects');
  }
}

/** The form's action on an HTML page (sign-in pages post to themselves). */
export function formAction(html: string, base: URL): URL {
  const m = /<form[^>]*action="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error(`no form on the page: ${html.slice(0, 200)}`);
  return new URL(m[1].replace(/&amp;/g, '&'), base);
}
