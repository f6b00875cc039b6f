// POST /api/payments/callbacks/:channel — the channel's asynchronous notify (异步通知). Public:
// the signature is the authority. The body is the channel's form, read raw (its exact bytes are
// hashed into the callback log); the answer is the channel's protocol, `success` or `fail` as
// text/plain, never problem+json — a channel reads nothing else. A channel we do not have is no
// channel's conversation: that 404 is a problem like any other route's.
import { findUnsafeUrlEncoded, Policies, type HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import { PaymentsError } from '../errors.ts';
import type { Payments } from '../service/payments.ts';
import { handleNotify } from '../service/settle.ts';

const FORM_LIMIT = 16 * 1024;

export function callbackRoutes(app: HttpApp, payments: Payments): void {
  void app.register(async (fastify) => {
    const scope = fastify as unknown as HttpApp;
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_req, body, done) => done(null, String(body)),
    );
    scope.post(
      '/callbacks/:channel',
      {
        config: { policy: Policies.public },
        schema: {
          tags: ['payments: channel'],
          summary: "The payment channel's asynchronous notify (form-urlencoded, signed); answers success or fail",
          params: Type.Object({ channel: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }) }),
          response: { 200: Type.String() },
        },
      },
      async (req, reply) => {
        const channel = req.params.channel;
        if (channel !== payments.channel.name) throw new PaymentsError('PAYMENTS_CHANNEL_UNKNOWN', { channel });
        reply.type('text/plain; charset=utf-8');
        const raw = typeof req.body === 'string' ? req.body : '';
        // Control characters or lone surrogates in a field: malformed, like a form that does not parse.
        const form = findUnsafeUrlEncoded(raw, 'body') ? {} : Object.fromEntries(new URLSearchParams(raw));
        const answer = await handleNotify(payments, { channel, form, rawBody: raw, ip: req.ip });
        return reply.code(200).send(answer);
      },
    );
  });
}
