// Without an SMS gateway adapter (production today) registration, counter recovery and the SMS
// step-up cannot work: the start says so once, instead of each request finding out.
import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import type { ModuleContext } from '@tongban/kernel';
import { registrationRoutes } from '../src/api/registration.ts';
import { warnIfNoSmsGateway } from '../src/service/sms.ts';

const contextIn = (env: string) => {
  const warn = mock.fn();
  return { ctx: { config: { env }, log: { warn } } as unknown as Pick<ModuleContext, 'config' | 'log'>, warn };
};

describe('SMS gateway at start', () => {
  test('production without a gateway warns once, naming what is unavailable', () => {
    const { ctx, warn } = contextIn('production');
    assert.equal(warnIfNoSmsGateway(ctx), true);
    assert.equal(warn.mock.callCount(), 1);
    const message = String(warn.mock.calls[0]!.arguments[1]);
    for (const what of ['self-registration', 'counter recovery', 'enrol']) assert.match(message, new RegExp(what));
  });

  test('development has the development sender: no warning', () => {
    const { ctx, warn } = contextIn('development');
    assert.equal(warnIfNoSmsGateway(ctx), false);
    assert.equal(warn.mock.callCount(), 0);
  });

  test('the development SMS sink is a route outside production only', () => {
    const paths = (env: string) => {
      const seen: string[] = [];
      const app = {
        get: (path: string) => seen.push(`GET ${path}`),
        post: (path: string) => seen.push(`POST ${path}`),
      };
      registrationRoutes(app as never, { config: { env }, log: { info() {} } } as unknown as ModuleContext);
      return seen;
    };
    assert.ok(paths('development').includes('GET /dev/sms'));
    assert.ok(!paths('production').includes('GET /dev/sms'));
    assert.ok(paths('production').includes('POST /register'), 'registration itself is still there (it answers 503)');
  });
});
