// GET /portal/events: the signed-in person's live application steps (Server-Sent Events) for the
// web app's EventSource. /portal/api/* answers through app.inject, which buffers a whole answer —
// a stream never ends, so it would never arrive. This route instead opens a real HTTP request to
// workflow's /api/workflow/me/events — this server's own, or workflow's process in the split
// shape (TONGBAN_SERVICE_WORKFLOW_URL) — with the session's access token and pipes the stream
// through as it comes, byte for byte; the browser's going away (or the upstream ending: the
// token's end, a restart) closes the other side. EventSource reconnects by itself with
// Last-Event-ID, passed on, so nothing is missed, and each reconnection takes a fresh token.
// Who may call: anyone (public policy, as every /portal route); without a session it is 401
// PORTAL_SIGNED_OUT, and what the stream carries is decided by workflow's guard on the token.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Policies, type HttpApp } from '@tongban/kernel';
import { PortalError } from '../errors.ts';
import type { CurrentSession } from '../service/portal.ts';

/** Where this server listens, as a client on this machine reaches it (a wildcard address is the loopback). */
export function localTarget(address: AddressInfo | string | null): { host: string; port: number } | undefined {
  if (!address || typeof address === 'string') return undefined;
  const wildcard = address.address === '0.0.0.0' || address.address === '::' || address.address === '';
  const host = wildcard ? (address.family === 'IPv6' ? '::1' : '127.0.0.1') : address.address;
  return { host, port: address.port };
}

/** The stream's upstream: workflow's own process when it has one (`remote`), else this server. */
export function streamTarget(
  remote: string | undefined,
  local: AddressInfo | string | null,
): { options: RequestOptions; secure: boolean } | undefined {
  const path = '/api/workflow/me/events';
  if (remote) {
    const url = new URL(path, remote);
    const secure = url.protocol === 'https:';
    return {
      secure,
      options: { host: url.hostname, port: Number(url.port) || (secure ? 443 : 80), path: url.pathname },
    };
  }
  const target = localTarget(local);
  return target ? { secure: false, options: { host: target.host, port: target.port, path } } : undefined;
}

export function eventRoutes(
  app: HttpApp,
  sessionOf: (headers: Record<string, unknown>) => Promise<CurrentSession | undefined>,
  workflowUrl: () => string | undefined,
): void {
  app.get(
    '/portal/events',
    // A stream stays open: it must not hold one of the in-flight places.
    { config: { policy: Policies.public, inFlight: false }, schema: { hide: true } },
    async (req, reply) => {
      const session = await sessionOf(req.headers);
      if (!session) throw new PortalError('PORTAL_SIGNED_OUT');
      const target = streamTarget(workflowUrl(), app.server.address());
      if (!target) throw new PortalError('PORTAL_EVENTS_UNAVAILABLE');
      const headers: Record<string, string> = {
        accept: 'text/event-stream',
        authorization: `Bearer ${session.accessToken}`,
        'x-forwarded-for': req.ip,
      };
      for (const name of ['accept-language', 'last-event-id']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const upstream = (target.secure ? httpsRequest : httpRequest)({ ...target.options, method: 'GET', headers });
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        upstream.once('response', resolve);
        upstream.once('error', reject);
        upstream.end();
      }).catch((error: unknown) => {
        req.log.warn({ err: error }, "portal events: workflow's stream could not be opened");
        throw new PortalError('PORTAL_EVENTS_UNAVAILABLE');
      });
      const type = String(answer.headers['content-type'] ?? '');
      if (answer.statusCode !== 200 || !type.startsWith('text/event-stream')) {
        // A refusal (an expired token, a rate limit): its problem+json, as /portal/api would answer it.
        const chunks: Buffer[] = [];
        for await (const chunk of answer) chunks.push(chunk as Buffer);
        return reply
          .code(answer.statusCode ?? 502)
          .header('content-type', type || 'application/problem+json')
          .header('cache-control', 'no-store')
          .send(Buffer.concat(chunks));
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.flushHeaders();
      // Either side ending ends the other: no stream is left open for a browser that went away.
      const close = () => {
        answer.destroy();
        upstream.destroy();
        if (!res.writableEnded) res.end();
      };
      req.raw.once('close', close);
      res.once('close', close);
      answer.once('end', close);
      answer.once('error', close);
      answer.pipe(res);
    },
  );
}
