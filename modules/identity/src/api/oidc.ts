// Mounts the OpenID provider (a Koa application) into Fastify: discovery at the server's origin,
// the protocol endpoints under /oidc/. The provider reads its own request bodies, so this scope
// hands it the raw, unparsed request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpApp } from '@tongban/kernel';
import { Policies } from '@tongban/kernel';
import type Provider from 'oidc-provider';

export function mountProvider(app: HttpApp, provider: () => Promise<Provider>): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const options = { config: { policy: Policies.public }, schema: { hide: true } } as const;
    const handler = async (request: { raw: IncomingMessage }, reply: { hijack(): void; raw: ServerResponse }) => {
      const callback = (await provider()).callback();
      reply.hijack();
      await callback(request.raw, reply.raw);
    };
    scope.get('/.well-known/openid-configuration', options, handler);
    scope.all('/oidc/*', options, handler);
  });
}
