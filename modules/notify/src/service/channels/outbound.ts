// One guarded POST to an address someone else chose (a department's webhook, an SMS gateway): the
// SSRF guard's I/O half. In order: https only when the policy says so; the host resolved once
// (all addresses) and refused if ANY is not public (domain/addresses.ts); then the connection
// goes to the address that was checked and no other — a `lookup` that answers only it, so a
// resolver that says "public" to the check and "127.0.0.1" to the connect (DNS rebinding) gets no
// second question; TLS still verifies the certificate against the host name. Redirects are never
// followed; one deadline covers DNS, connect, headers and body; at most `maxResponseBytes` of the
// body is read.
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { classifyAddress, vetHost } from '../../domain/addresses.ts';
import { ChannelError, type OutboundPolicy } from './types.ts';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}
/** All the addresses of a name (node:dns `lookup` with `all: true` by default; tests inject their own). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface OutboundOptions {
  readonly resolve?: Resolver;
  /** CA certificates (PEM) to trust instead of the system's: a department on a government CA. */
  readonly ca?: string | readonly string[];
}

export interface OutboundResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body was longer than `maxResponseBytes`; `body` holds its start. */
  readonly truncated: boolean;
}

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A `lookup` for node:net that answers every question with the one vetted address. */
export function pinnedLookup(vetted: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: vetted.address, family: vetted.family }]);
    else callback(null, vetted.address, vetted.family);
  }) as LookupFunction;
}

/** The address to connect to, after the scheme and every resolved address passed the policy. */
export async function vetDestination(url: URL, policy: OutboundPolicy, resolve: Resolver): Promise<ResolvedAddress> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ChannelError('url_invalid', false, `scheme ${url.protocol} is not allowed`);
  if (url.protocol === 'http:' && policy.httpsOnly) throw new ChannelError('https_required', false);
  if (url.username || url.password) throw new ChannelError('url_invalid', false, 'credentials in the URL');
  const host = vetHost(url.hostname);
  let addresses: readonly ResolvedAddress[];
  if (host.kind === 'address') addresses = [{ address: host.address, family: host.family }];
  else {
    try {
      addresses = await resolve(host.name);
    } catch (e) {
      throw new ChannelError('dns_failed', true, `${host.name}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    if (addresses.length === 0) throw new ChannelError('dns_failed', true, `${host.name}: no address`);
  }
  if (!policy.allowPrivate) {
    for (const a of addresses) {
      const cls = classifyAddress(a.address);
      if (cls !== 'public')
        throw new ChannelError('address_refused', false, `${url.hostname} → ${a.address} (${cls ?? 'not an address'})`);
    }
  }
  return addresses[0] as ResolvedAddress;
}

/** POST `body` to `target` under `policy`; throws ChannelError for everything but an HTTP answer that is not a redirect. */
export async function postOutbound(
  target: string,
  headers: Record<string, string>,
  body: string,
  policy: OutboundPolicy,
  o: OutboundOptions = {},
): Promise<OutboundResponse> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ChannelError('url_invalid', false);
  }
  const deadline = Date.now() + policy.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ChannelError('timeout', true, `no answer within ${policy.timeoutMs} ms`)),
      policy.timeoutMs,
    );
  });
  expired.catch(() => undefined);
  try {
    const vetted = await Promise.race([vetDestination(url, policy, o.resolve ?? systemResolver), expired]);
    return await Promise.race([send(url, vetted, headers, body, policy, deadline - Date.now(), o.ca), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function send(
  url: URL,
  vetted: ResolvedAddress,
  headers: Record<string, string>,
  body: string,
  policy: OutboundPolicy,
  remainingMs: number,
  ca: string | readonly string[] | undefined,
): Promise<OutboundResponse> {
  const payload = Buffer.from(body, 'utf8');
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...headers, 'content-length': String(payload.length) },
      lookup: pinnedLookup(vetted),
      agent: false,
      ...(ca === undefined ? {} : { ca: typeof ca === 'string' ? ca : [...ca] }),
    });
    // The caller's race rejects at the deadline too; this one also closes the socket.
    const timer = setTimeout(
      () => {
        finish(() => reject(new ChannelError('timeout', true, `no answer within ${policy.timeoutMs} ms`)));
        req.destroy();
      },
      Math.max(remainingMs, 0),
    );
    // Until the whole request is written the peer cannot have acted on it (it reads the body to its
    // content-length): a failure then is `connection_failed`, nothing sent. After it, the peer may
    // have acted and only the answer was lost: `connection_lost`, which a caller must not treat as
    // "not sent" (the SMS failover keeps such a message on the same gateway, which deduplicates).
    let written = false;
    req.on('finish', () => (written = true));
    const broken = (detail: string) =>
      written
        ? new ChannelError('connection_lost', true, `${detail} (after the request was sent)`)
        : new ChannelError('connection_failed', true, detail);
    req.on('error', (e: NodeJS.ErrnoException) => finish(() => reject(broken(`${e.code ?? ''} ${e.message}`.trim()))));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.destroy();
        req.destroy();
        return finish(() =>
          reject(new ChannelError('redirect_refused', false, `${status} to ${String(res.headers.location ?? '')}`)),
        );
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = policy.maxResponseBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          res.destroy();
          req.destroy();
          const body = Buffer.concat(chunks);
          return finish(() => resolve({ status, headers: res.headers, body, truncated: true }));
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () =>
        finish(() => resolve({ status, headers: res.headers, body: Buffer.concat(chunks), truncated: false })),
      );
      res.on('error', (e) => finish(() => reject(new ChannelError('connection_lost', true, e.message))));
      res.on('close', () =>
        finish(() => reject(new ChannelError('connection_lost', true, 'the connection closed before the body ended'))),
      );
    });
    req.end(payload);
  });
}
