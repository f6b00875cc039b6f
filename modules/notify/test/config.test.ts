// The notify block of the configuration, and what production refuses: the development SMS sink,
// webhooks to private addresses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, redactedConfig } from '@tongban/kernel';
import { Notify } from '../src/service/notify.ts';

const ctx = (env: Record<string, string>) => ({ config: loadConfig(env), secret: () => 'k' }) as never;

test('the notify settings from the environment, with their defaults; the SMTP password redacted', () => {
  const c = loadConfig({
    TONGBAN_NOTIFY_SMTP_URL: 'smtp://mailer:s3cret@mail.example.cn:587',
    TONGBAN_NOTIFY_SMS_PER_HOUR: '3',
  });
  assert.equal(c.notify.sms, undefined);
  assert.equal(c.notify.smsPerHour, 3);
  assert.equal(c.notify.emailPerHour, 30);
  assert.equal(c.notify.webhooksAllowPrivate, false);
  assert.equal(JSON.stringify(redactedConfig(c)).includes('s3cret'), false);
  assert.throws(() => loadConfig({ TONGBAN_NOTIFY_SMS: 'carrier-pigeon' }), /notify\.sms/);
  assert.throws(() => loadConfig({ TONGBAN_NOTIFY_SMTP_URL: 'http://mail' }), /TONGBAN_NOTIFY_SMTP_URL/);
});

test('production refuses the development sink and private webhook targets; development defaults to the sink', () => {
  assert.throws(
    () => new Notify(ctx({ NODE_ENV: 'production', TONGBAN_NOTIFY_WEBHOOKS_ALLOW_PRIVATE: 'true' })),
    /ALLOW_PRIVATE=true is refused in production/,
  );
  assert.throws(() => new Notify(ctx({ NODE_ENV: 'production', TONGBAN_NOTIFY_SMS: 'dev' })), /SMS=dev is refused/);
  assert.throws(() => new Notify(ctx({ NODE_ENV: 'production' })), /needs TONGBAN_NOTIFY_SMS_GATEWAY_URL/);
  const dev = new Notify(ctx({ NODE_ENV: 'development' }));
  assert.equal(dev.smsMode, 'dev');
  assert.equal(dev.emailOn, false);
  const gw = new Notify(ctx({ NODE_ENV: 'production', TONGBAN_NOTIFY_SMS_GATEWAY_URL: 'https://sms.example.cn/send' }));
  assert.deepEqual([gw.smsMode, gw.policy.httpsOnly, gw.policy.allowPrivate], ['gateway', true, false]);
});
