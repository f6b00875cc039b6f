// Mounts the OpenID provider (a Koa application) into Fastify: discovery at the server's origin,
// the protocol endpoints under /oidc/. The provider reads its own request bodies, except the
// URL-encoded forms: those are read here, checked like every other input, and handed over parsed
// (oidc-provider takes `req.body` when the stream was already read).
import { IdentityError } from '../errors.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpApp } from '@tongban/kernel';
import { findUnsafeUrlEncoded, negotiateLang, Policies } from '@tongban/kernel';
import type Provider from 'oidc-provider';
import { API_AUDIENCE, OIDC_ROUTES } from '../service/provider.ts';

/** oidc-provider's own limit for a form. */
const FORM_LIMIT = 56 * 1024;
const AUTHORIZATION_ROUTES: ReadonlySet<string> = new Set([
  OIDC_ROUTES.authorization,
  OIDC_ROUTES.pushed_authorization_request,
]);

const words = (value: string | null) => new Set((value ?? '').split(' ').filter(Boolean));

/**
 * Two spellings of "a token for the platform's APIs" mean the same: `resource=urn:tongban:api`
 * (RFC 8707) also asks for the `api` scope, which is what the provider issues API tokens by
 * (service/provider.ts, useGrantedResource). And offline_access: oidc-provider drops it silently unless
 * prompt has consent (OIDC Core §11); consent is implicit for our first-party clients
 * (interaction.ts grants it without a screen), so asking for offline_access asks for that
 * consent — except with prompt=none, which may show nothing, where it stays dropped.
 * Returns whether anything changed.
 */
export function normalizeAuthorizationParams(params: URLSearchParams): boolean {
  if (!params.has('scope')) return false;
  const scopes = words(params.get('scope'));
  let changed = false;
  if (params.getAll('resource').includes(API_AUDIENCE) && !scopes.has('api')) {
    scopes.add('api');
    params.set('scope', [...scopes].join(' '));
    changed = true;
  }
  const prompts = words(params.get('prompt'));
  if (scopes.has('offline_access') && !prompts.has('consent') && !prompts.has('none')) {
    prompts.add('consent');
    params.set('prompt', [...prompts].join(' '));
    changed = true;
  }
  return changed;
}

export function mountProvider(app: HttpApp, provider: () => Promise<Provider>): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'buffer', bodyLimit: FORM_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const options = { config: { policy: Policies.public }, schema: { hide: true } } as const;
    const handler = async (
      request: {
        raw: IncomingMessage & { body?: unknown };
        body: unknown;
        url: string;
        headers: IncomingMessage['headers'];
      },
      reply: { hijack(): void; raw: ServerResponse },
    ) => {
      const path = request.url.split('?', 1)[0]!;
      if (Buffer.isBuffer(request.body)) {
        // The kernel checks every raw query string; a form only the provider reads is checked here.
        const unsafe = findUnsafeUrlEncoded(request.body, 'body', negotiateLang(request.headers['accept-language']));
        if (unsafe) throw new IdentityError('VALIDATION_FAILED', {}, [unsafe]);
        const form = new URLSearchParams(request.body.toString('utf8'));
        if (AUTHORIZATION_ROUTES.has(path)) normalizeAuthorizationParams(form);
        request.raw.body = form.toString();
      } else if (path === OIDC_ROUTES.authorization) {
        const url = new URL(request.raw.url ?? '/', 'http://unused');
        if (normalizeAuthorizationParams(url.searchParams))
          request.raw.url = `${url.pathname}?${url.searchParams.toString()}`;
      }
      const callback = (await provider()).callback();
      reply.hijack();
      await callback(request.raw, reply.raw);
    };
    scope.get('/.well-known/openid-configuration', options, handler);
    scope.all('/oidc/*', options, handler);
  });
}
