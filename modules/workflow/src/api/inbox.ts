// The live stream of the applicant's applications' steps (Server-Sent Events), for every open
// channel: the web portal, an app or a kiosk using the API. Their notices (站内信) moved to the
// notify module (/api/notify/me/notices).
import { AccessDenied, type HttpApp } from '@tongban/kernel';
import type { Services } from '../service/submit.ts';
import { applicantOf } from './applicant.ts';

const HEARTBEAT_MS = 15_000;
/** A stream is opened only with a token good for at least this long. */
const MIN_STREAM_MS = 5_000;
/** At most this many missed steps are replayed on reconnect; past it, `event: reset`. */
const MAX_REPLAY = 2_000;

export function inboxRoutes(app: HttpApp, s: Services): void {
  const applicant = { kinds: ['citizen', 'business'] as const, assurance: 'password' as const };

  app.get(
    '/me/events',
    {
      // A stream stays open: it does not hold one of the places of the in-flight limit.
      config: { policy: applicant, inFlight: false },
      schema: {
        tags: ['workflow: notices'],
        summary:
          'Live steps of my applications (text/event-stream); send Last-Event-ID to receive what was missed while away',
      },
    },
    async (req, reply) => {
      const owner = applicantOf(req.principal!).id;
      const last = Number(req.headers['last-event-id']);
      // A token the guard still takes (clock tolerance) but that is spent: a stream would end at
      // once and the client reconnect in a loop. Asked to sign in again instead.
      const expiresAt = req.principal!.expiresAt;
      if (expiresAt !== undefined && expiresAt - Date.now() < MIN_STREAM_MS)
        throw new AccessDenied('TOKEN_EXPIRED', 'token', 'too close to its expiry to open a stream');
      // Known before any await: a client gone while we subscribe must not leave a listener behind.
      let gone = false;
      let cleanup = () => {
        gone = true;
      };
      req.raw.on('close', () => cleanup());
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': String(req.id),
      });
      // A HEAD has no body to stream: Node held its headers for a first write that never came.
      if (req.method === 'HEAD') return res.end();
      const send = (e: { seq: number }) => res.write(`id: ${e.seq}\nevent: step\ndata: ${JSON.stringify(e)}\n\n`);
      // Subscribe first, then replay: an event landing between the two is sent once, never lost.
      // The feed hands each step over once, but not always in seq order (seqs are taken before
      // commit), so a stream skips only what its replay already sent, never what is merely lower.
      const buffered: { seq: number }[] = [];
      let replaying = true;
      const replayed = new Set<number>();
      const unsubscribe = await s.live.subscribe(
        owner,
        (e) => {
          if (replaying) buffered.push(e);
          else if (!replayed.has(e.seq)) send(e);
        },
        () => res.end(),
      );
      if (Number.isSafeInteger(last) && last > 0) {
        for (const e of await s.live.lateBefore(owner, last)) {
          send(e);
          replayed.add(e.seq);
        }
        // Page through what was missed, up to MAX_REPLAY; beyond that the client is told to reload
        // what it shows (its applications, its notices) rather than be fed a whole history.
        let after = last;
        for (
          let page = await s.live.since(owner, after);
          page.length > 0 && replayed.size < MAX_REPLAY;
          page = await s.live.since(owner, after)
        ) {
          for (const e of page) {
            send(e);
            replayed.add(e.seq);
            after = e.seq;
          }
        }
        if (replayed.size >= MAX_REPLAY && (await s.live.since(owner, after)).length > 0) {
          res.write(`event: reset\ndata: ${JSON.stringify({ reason: 'too-many-missed', after })}\n\n`);
        }
      }
      for (const e of buffered)
        if (!replayed.has(e.seq)) {
          send(e);
          replayed.add(e.seq);
        }
      replaying = false;
      // Said once the stream is subscribed: from here on, nothing that happens is missed.
      res.write(': connected\n\n');
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
      // A stream lives no longer than the token that opened it (at most ten minutes): a signed-out or
      // revoked person stops receiving steps then. The client reconnects with a fresh token and its
      // Last-Event-ID, and misses nothing. The time is the authenticator's (the wall clock).
      const expiry =
        expiresAt === undefined
          ? undefined
          : setTimeout(
              () => {
                res.write(`event: expired\ndata: ${JSON.stringify({ reason: 'token-expired' })}\n\n`);
                res.end();
              },
              Math.max(0, expiresAt - Date.now()),
            ).unref();
      cleanup = () => {
        clearInterval(heartbeat);
        clearTimeout(expiry);
        unsubscribe();
      };
      if (gone) cleanup();
    },
  );
}
