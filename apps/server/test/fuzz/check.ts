// The property every answer must have: below 500; a 4xx is problem+json with a stable code (or,
// where the operation documents it, an OAuth error); no answer shows the platform's insides
// (stack frames, file paths, SQL or its errors, JavaScript error names, dependencies' names).
import type { Answer } from './send.ts';
import type { FuzzRequest, Operation } from './requests.ts';

/** What betrays an implementation. A match the request itself contained (echoed input) is not one. */
const INTERNALS: readonly [string, RegExp][] = [
  ['stack frame', /\n\s+at [^\n]*:\d+:\d+/],
  ['stack frame', /\bat (?:async )?[\w$.<>[\] ]+ \((?:file:|node:|\/)[^)]*\)/],
  ['file path', /(?:\/work\/|\/home\/|\/usr\/|\/tmp\/|[A-Z]:\\)[\w./\\-]+\.(?:ts|js|mjs|cjs)\b/],
  ['file path', /file:\/\/\/[\w./-]+/],
  ['dependency', /node_modules/],
  ['SQL', /relation "[^"]*"/],
  ['SQL', /syntax error at or near/],
  ['SQL', /\bsyntax error\b/i],
  ['SQL', /violates (?:unique|foreign key|check|not-null|exclusion) constraint/],
  ['SQL', /invalid input syntax for/],
  ['SQL', /duplicate key value/],
  ['SQL', /column "[^"]*" (?:does not exist|of relation|is of type)/],
  ['SQL', /\b(?:select|insert into|update|delete from) [\w".]+ (?:from|set|values|where)\b/i],
  ['SQL', /\bPGlite\b|\bpg_catalog\b|\bSQLSTATE\b/],
  ['JavaScript error', /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|EvalError|AggregateError)\b/],
  ['JavaScript error', /Cannot read propert(?:y|ies) of|is not a function|is not defined|undefined is not/],
  ['framework', /\bFST_ERR_\w+|\bERR_[A-Z_]{4,}\b/],
  ['dependency', /\b(?:kysely|fastify|ajv|oidc-provider|light-my-request|@tongban\/\w+)\b/i],
];

function decoded(text: string): string {
  const one = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  // Piece by piece: one undecodable value (a lone surrogate) must not hide the others.
  return text
    .split(/([?&=/])/)
    .map(one)
    .join('');
}

/** Everything the request carried, in the forms a server might echo it back. */
function requestText(req: FuzzRequest): string {
  const body =
    req.body === undefined ? '' : typeof req.body === 'string' ? req.body : Buffer.from(req.body).toString('utf8');
  const raw = [req.url, decoded(req.url), body, ...req.headers.map(([k, v]) => `${k}: ${v}`)].join('\n');
  let parsed = '';
  try {
    parsed = JSON.stringify(JSON.parse(body));
  } catch {
    // not JSON
  }
  return `${raw}\n${parsed}\n${decoded(req.url.replace(/\+/g, ' '))}`;
}

function isJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The answer as text, and a JSON answer's strings as themselves (unescaped quotes, real newlines). */
function answerText(body: string): string {
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  try {
    walk(JSON.parse(body));
  } catch {
    // not JSON: the text as it is
  }
  return [body, ...strings].join('\n');
}

/** The property's failures for one answer; empty when it holds. */
export function violations(req: FuzzRequest, op: Operation, answer: Answer): string[] {
  const found: string[] = [];
  const { status } = answer;
  if (status >= 500) found.push(`status ${status}`);
  const type = String(answer.headers['content-type'] ?? '');
  const head = req.method === 'HEAD';
  if (status >= 400 && status < 500) {
    const problem = type.startsWith('application/problem+json');
    const oauth = type.startsWith('application/json') && (op.oauthErrors.includes(status) || op.undocumented);
    const page = op.undocumented && type.startsWith('text/html');
    if (!problem && !oauth && !page) found.push(`4xx with content-type '${type}'`);
    if (!head) {
      const body = isJsonObject(answer.body);
      if (problem && typeof body?.code !== 'string') found.push('problem without a code');
      if (oauth && !problem && typeof body?.error !== 'string') found.push('OAuth error without an error code');
    }
  }
  if (status >= 300) {
    const echoed = requestText(req);
    const text = answerText(answer.body);
    for (const [what, pattern] of INTERNALS) {
      const m = pattern.exec(text);
      if (m && !echoed.includes(m[0])) {
        found.push(`${what} in the answer: ${JSON.stringify(m[0].slice(0, 120))}`);
        break;
      }
    }
  }
  return found;
}
