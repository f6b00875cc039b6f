// Where a browser may be sent back to after signing in: a path on this site, never another origin
// (an open redirect would turn the portal's sign-in into a phishing tool).

/** `/path?query#hash` on this origin, or `/` for anything else (absolute URLs, `//host`, `/\host`, controls). */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  return value;
}
