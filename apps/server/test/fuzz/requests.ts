// One fuzz request for an operation of the OpenAPI document: its method (or an odd one), its path
// with parameters from their schemas or not ids at all, a query, headers (duplicated ones too),
// a body of the schema or malformed, a content type right or wrong, and who asks: nobody, a
// broken credential, or a valid token of a random principal.
import fc from 'fast-check';
import type { PrincipalKind } from '@tongban/kernel';
import { malformedBody, oddContentType } from './bodies.ts';
import { INJECTION, nastyString } from './nasty.ts';
import { textOf, valueOf, type JsonSchema, type Known } from './schema-values.ts';

export interface Parameter {
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly name: string;
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

export interface Operation {
  /** `GET /api/workflow/applications/{id}`: how counts and failures name it. */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body?: JsonSchema;
  /** 4xx statuses whose documented body is an OAuth error (`{ error }`), not problem+json. */
  readonly oauthErrors: readonly number[];
  /** Not in the document (hidden routes: the OpenID provider, the portal): any media type. */
  readonly undocumented?: true;
}

/** A principal a token names; the runner signs it when the request is sent. */
export interface Who {
  readonly sub: string;
  readonly kind: PrincipalKind;
  readonly roles: readonly string[];
  readonly departments: readonly string[];
  readonly regions: readonly string[];
  readonly mfa: boolean;
}

export type Credential =
  | { readonly type: 'token'; readonly who: Who }
  | { readonly type: 'expired'; readonly who: Who }
  | { readonly type: 'foreign'; readonly who: Who }
  | { readonly type: 'operator' }
  | { readonly type: 'raw'; readonly value: string };

export interface FuzzRequest {
  readonly operation: string;
  readonly method: string;
  readonly url: string;
  /** Sent as given, in order; a name twice is sent twice. */
  readonly headers: readonly (readonly [string, string])[];
  /** Authorization headers, made at sending (tokens are signed then): none, one, or two. */
  readonly credentials: readonly Credential[];
  readonly body?: string | Uint8Array;
}

export interface World {
  readonly known: Known;
  /** Account ids tokens name: the owner of the platform's data first. */
  readonly subs: readonly string[];
  /** Client ids of department systems (service tokens). */
  readonly clients: readonly string[];
  readonly departments: readonly string[];
  readonly regions: readonly string[];
  readonly roles: readonly string[];
}

const KINDS: readonly PrincipalKind[] = ['citizen', 'business', 'officer', 'operator', 'security', 'service'];
const ODD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'QUERY', 'PROPFIND'];

function who(world: World): fc.Arbitrary<Who> {
  // As identity issues them: a person's sub is an account id (a UUID), a system's its client id.
  const person = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...world.subs) },
    { weight: 1, arbitrary: fc.uuid() },
  );
  const kindAndSub = fc
    .constantFrom(...KINDS)
    .chain((kind) => (kind === 'service' ? fc.constantFrom(...world.clients) : person).map((sub) => ({ kind, sub })));
  return fc
    .record({
      kindAndSub,
      roles: fc.subarray([...world.roles], { maxLength: 3 }),
      departments: fc.subarray([...world.departments], { maxLength: 2 }),
      regions: fc.subarray([...world.regions], { maxLength: 2 }),
      mfa: fc.boolean(),
    })
    .map(({ kindAndSub, ...rest }) => ({ ...kindAndSub, ...rest }));
}

function credential(world: World): fc.Arbitrary<Credential> {
  const w = who(world);
  return fc.oneof(
    { weight: 12, arbitrary: w.map((x) => ({ type: 'token' as const, who: x })) },
    { weight: 1, arbitrary: w.map((x) => ({ type: 'expired' as const, who: x })) },
    { weight: 1, arbitrary: w.map((x) => ({ type: 'foreign' as const, who: x })) },
    { weight: 1, arbitrary: fc.constant({ type: 'operator' as const }) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'Basic dXNlcjpwYXNz',
            'Bearer a.b.c',
            'Bearer eyJhbGciOiJub25lIn0.e30.',
            'DPoP x',
            'bearer  x',
          ),
          nastyString.map((s) => `Bearer ${s}`),
        )
        .map((value) => ({ type: 'raw' as const, value })),
    },
  );
}

const ip = fc.oneof(
  { weight: 8, arbitrary: fc.ipV4() },
  { weight: 1, arbitrary: fc.ipV6() },
  {
    weight: 1,
    arbitrary: fc.constantFrom('unknown', '', '1.2.3.4, 5.6.7.8', '999.1.1.1', '::ffff:127.0.0.1', 'a\u00e9'),
  },
);

/** Header values: what a client can put on the wire (Node refuses control characters itself). */
const headerText = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...INJECTION.filter((s) => /^[\x20-\x7e]*$/.test(s))) },
  {
    weight: 8,
    arbitrary: fc.string({
      unit: fc.constantFrom(...' !#$%&*+-./0123456789:;<=>?@ABCXYZ[]^_`abcxyz{|}~'),
      maxLength: 80,
    }),
  },
  // Past Node's 16 KiB of headers with the rest: 431.
  { weight: 1, arbitrary: fc.constant('x'.repeat(9_000)) },
);

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate cannot be percent-encoded as UTF-8: sent as the bytes of its escape.
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd')) + '%ED%A0%80';
  }
}

/** Path segments that are not ids: traversal, bad percent-encoding, over-long, empty. */
const notAnId = fc.constantFrom(
  '..',
  '.',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%',
  '%E0%A4%A',
  '%ZZ',
  '%C0%AE%C0%AE',
  '%252e%252e',
  ';',
  'a;b=c',
  '~',
  'x'.repeat(101),
  'x'.repeat(2_000),
  '%F0%9F%98%80',
  '%E5%BC%A0%E4%B8%89',
  '%0D%0ASet-Cookie:%20a=1',
  'null',
  '-1',
  '1e400',
  '0x10',
  '00000000-0000-0000-0000-000000000000',
);

function pathOf(op: Operation, world: World): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  if (names.length === 0) return fc.constant(op.path);
  const options = { known: world.known, wrongWeight: 3 };
  const segments = names.map((name) => {
    const schema = op.parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? { type: 'string' };
    return fc.oneof(
      { weight: 10, arbitrary: textOf(schema, options).map(encodeSegment) },
      { weight: 2, arbitrary: notAnId },
      { weight: 1, arbitrary: nastyString.map(encodeSegment) },
    );
  });
  return fc.tuple(...segments).map((values) => {
    let path = op.path;
    names.forEach((name, i) => (path = path.replace(`{${name}}`, values[i]!)));
    return path;
  });
}

function queryOf(op: Operation, world: World): fc.Arbitrary<string> {
  const options = { known: world.known, wrongWeight: 3 };
  const declared = op.parameters.filter((p) => p.in === 'query');
  const pairs = declared.map((p) =>
    fc.option(
      fc
        .array(textOf(p.schema ?? { type: 'string' }, options), { minLength: 1, maxLength: 2 })
        .map((vs) => vs.map((v) => [p.name, v] as const)),
      { freq: p.required ? 8 : 2 },
    ),
  );
  const unknown = fc.option(
    fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom('__proto__', 'constructor', 'limit', 'q', 'a[b]', 'x[]'), nastyString),
        nastyString,
      ),
      { maxLength: 2 },
    ),
    { freq: 8 },
  );
  return fc.tuple(fc.tuple(...pairs), unknown).map(([chosen, extra]) => {
    const all = [...chosen.flatMap((c) => c ?? []), ...(extra ?? [])];
    if (all.length === 0) return '';
    return `?${all.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join('&')}`;
  });
}

function headersOf(op: Operation, world: World, hasBody: boolean): fc.Arbitrary<[string, string][]> {
  const options = { known: world.known, wrongWeight: 3 };
  const declared = op.parameters
    .filter((p) => p.in === 'header')
    .map((p) =>
      fc.option(
        textOf(p.schema ?? { type: 'string' }, options).map(
          (v) => [p.name, v.replace(/[^\x20-\x7e]/g, '')] as [string, string],
        ),
        { freq: 2 },
      ),
    );
  const json = hasBody && op.body !== undefined;
  const contentTypes = fc.oneof(
    { weight: json ? 20 : 1, arbitrary: fc.constant(['application/json']) },
    { weight: 3, arbitrary: oddContentType.map((c) => [c]) },
    { weight: 1, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('application/json'), oddContentType) },
  );
  const optional = fc.tuple(
    fc.option(fc.constantFrom('zh-CN', 'en', 'en-US,en;q=0.9', 'fr', '*', 'en;q=abc', 'zh;q=-1,en;q=2', ';;,,'), {
      freq: 2,
    }),
    fc.option(headerText, { freq: 6 }),
    fc.option(fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', 'image/png', ''), { freq: 3 }),
    fc.option(fc.constantFrom('a=b', 'tongban.sid=x; tongban.sid=y', '__proto__=1', 'x'.repeat(4000)), { freq: 6 }),
    fc.option(headerText, { freq: 8 }),
  );
  return fc
    .tuple(ip, contentTypes, fc.tuple(...declared), optional)
    .map(([addr, cts, params, [lang, rid, accept, cookie, dpop]]) => {
      const h: [string, string][] = [['x-forwarded-for', addr]];
      if (hasBody) for (const c of cts) h.push(['content-type', c]);
      for (const p of params) if (p) h.push(p);
      if (lang) h.push(['accept-language', lang]);
      if (rid !== null) h.push(['x-request-id', rid]);
      if (accept !== null) h.push(['accept', accept]);
      if (cookie) h.push(['cookie', cookie]);
      if (dpop !== null) h.push(['dpop', dpop]);
      return h;
    });
}

function bodyOf(op: Operation, world: World): fc.Arbitrary<string | Uint8Array | undefined> {
  if (!op.body) {
    return fc.oneof(
      { weight: 10, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: malformedBody(fc.jsonValue({ maxDepth: 2 })) },
    );
  }
  const value = valueOf(op.body, { known: world.known, wrongWeight: 2 });
  return fc.oneof(
    { weight: 12, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 3, arbitrary: malformedBody(value) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

export function requestFor(op: Operation, world: World): fc.Arbitrary<FuzzRequest> {
  const method = fc.oneof(
    { weight: 15, arbitrary: fc.constant(op.method) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_METHODS) },
  );
  const credentials = fc.oneof(
    { weight: 3, arbitrary: fc.constant([]) },
    { weight: 12, arbitrary: credential(world).map((c) => [c]) },
    { weight: 1, arbitrary: fc.tuple(credential(world), credential(world)) },
  );
  return fc
    .tuple(method, pathOf(op, world), queryOf(op, world), bodyOf(op, world), credentials)
    .chain(([m, path, query, body, creds]) =>
      headersOf(op, world, body !== undefined).map((headers) => ({
        operation: op.key,
        method: m,
        url: path + query,
        headers,
        credentials: creds,
        ...(body === undefined ? {} : { body }),
      })),
    );
}

/** Every operation's requests, each operation as likely as any other. */
export function anyRequest(operations: readonly Operation[], world: World): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...operations.map((op) => requestFor(op, world)));
}
