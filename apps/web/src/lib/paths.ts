// Route patterns: '/matters/:code' (one segment per parameter) and '/workbench/*' (a prefix whose
// rest is the parameter '*'). Pure, for node --test.
export type Params = Record<string, string>;

export function matchPath(pattern: string, pathname: string): Params | null {
  const want = split(pattern);
  const have = split(pathname);
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] as string;
    if (part === '*') {
      params['*'] = have.slice(i).join('/');
      return params;
    }
    const got = have[i];
    if (got === undefined) return null;
    if (part.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(got);
      } catch {
        return null; // a malformed %-escape names no page
      }
      params[part.slice(1)] = value;
    } else if (part !== got) return null;
  }
  return want.length === have.length ? params : null;
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** Whether a link's href is a page of this app (client-side navigation) rather than a server route or another site. */
export function isAppPath(href: string): boolean {
  if (!href.startsWith('/') || href.startsWith('//')) return false;
  // The BFF's and the API's own addresses need a full page load.
  return !/^\/(portal|api|oidc)(\/|\?|$)/.test(href);
}
