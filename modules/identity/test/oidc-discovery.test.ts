// Discovery names the configured issuer's origin whatever the request says about its host, and
// advertises only what a registered client can use.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '@tongban/kernel/testing';
import identity from '../src/index.ts';

const ISSUER = 'https://id.tongban.example';

interface Discovery {
  issuer: string;
  response_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  [endpoint: string]: unknown;
}

function urlsIn(discovery: Discovery): string[] {
  return Object.entries(discovery)
    .filter(([key]) => key.endsWith('_endpoint') || key === 'jwks_uri' || key === 'issuer')
    .map(([, value]) => String(value));
}

for (const trustProxy of ['', '127.0.0.1']) {
  describe(`OpenID discovery (trust proxy ${trustProxy || 'off'})`, () => {
    let p: TestPlatform;

    before(async () => {
      p = await startTestPlatform([identity], {
        env: { TONGBAN_PUBLIC_URL: ISSUER, TONGBAN_HTTP_TRUST_PROXY: trustProxy },
      });
    });
    after(() => p.dispose());

    const discover = async (headers: Record<string, string>) => {
      const r = await p.app.inject({ url: '/.well-known/openid-configuration', headers });
      assert.equal(r.statusCode, 200);
      return r.json() as Discovery;
    };

    test('a forged Host or X-Forwarded-Host does not move the endpoints', async () => {
      const forged: Record<string, string>[] = [
        { host: 'evil.example' },
        { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
      ];
      for (const headers of forged) {
        const discovery = await discover(headers);
        assert.equal(discovery.issuer, ISSUER);
        const urls = urlsIn(discovery);
        assert.ok(urls.length > 5);
        for (const url of urls) assert.equal(new URL(url).origin, ISSUER, `${url} is on the issuer's origin`);
      }
    });

    test('the sign-out form posts to the issuer too', async () => {
      const r = await p.app.inject({
        url: '/oidc/session/end',
        headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
      });
      assert.equal(r.statusCode, 200);
      assert.match(r.body, new RegExp(`action="${ISSUER}/oidc/session/end/confirm"`));
      assert.doesNotMatch(r.body, /evil\.example/);
    });

    test('only the code flow and the auth methods registered clients use are advertised', async () => {
      const discovery = await discover({});
      assert.deepEqual(discovery.response_types_supported, ['code']);
      assert.deepEqual([...discovery.token_endpoint_auth_methods_supported].sort(), ['none', 'private_key_jwt']);
      assert.ok(
        (discovery.scopes_supported as string[]).includes('api'),
        'the scope clients are told to ask for is advertised',
      );
    });
  });
}
