// Standard Webhooks signatures, checked by the independent `standardwebhooks` package (HMAC) and
// by node:crypto (Ed25519); the receiver's 5-minute replay window.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import {
  decodeWebhookSecret,
  encodeWebhookSecret,
  publicKeyShown,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
} from '../../src/domain/webhook-signing.ts';

const secret = new Uint8Array(Array.from({ length: 32 }, (_, i) => i + 1));
const hmac = { kind: 'hmac-sha256', secret } as const;
const { privateKey } = generateKeyPairSync('ed25519');
const ed = { kind: 'ed25519', privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() } as const;
const body = JSON.stringify({ kind: 'approved', caseNumber: '通办-2026-000123' });
const now = 1_796_000_000;

test('an HMAC signature verifies with the standardwebhooks package and its whsec_ secret', () => {
  const headers = webhookHeaders(hmac, 'msg_1', Math.floor(Date.now() / 1000), body);
  const wh = new Webhook(encodeWebhookSecret(secret));
  assert.deepEqual(wh.verify(body, headers), JSON.parse(body));
  // And our signature equals the package's own.
  assert.equal(
    headers['webhook-signature'],
    wh.sign('msg_1', new Date(Number(headers['webhook-timestamp']) * 1000), body),
  );
});

test('the package refuses a tampered body and a wrong secret', () => {
  const headers = webhookHeaders(hmac, 'msg_1', Math.floor(Date.now() / 1000), body);
  assert.throws(() => new Webhook(encodeWebhookSecret(secret)).verify(body + ' ', headers));
  assert.throws(() => new Webhook(encodeWebhookSecret(new Uint8Array(32))).verify(body, headers));
});

test('an Ed25519 signature verifies with node:crypto over id.timestamp.body', () => {
  const sig = signWebhook(ed, 'msg_2', now, body);
  assert.match(sig, /^v1a,/);
  const publicKey = createPublicKey(privateKey);
  assert.equal(verify(null, Buffer.from(`msg_2.${now}.${body}`), publicKey, Buffer.from(sig.slice(4), 'base64')), true);
});

test('verifyWebhook accepts both kinds within 5 minutes and refuses outside', () => {
  const h1 = webhookHeaders(hmac, 'msg_3', now, body);
  const shownSecret = encodeWebhookSecret(secret);
  assert.equal(verifyWebhook(h1, body, shownSecret, now), true);
  assert.equal(verifyWebhook(h1, body, shownSecret, now + 300), true);
  assert.equal(verifyWebhook(h1, body, shownSecret, now - 300), true);
  assert.equal(verifyWebhook(h1, body, shownSecret, now + 301), false, 'replayed after 5 minutes');
  assert.equal(verifyWebhook(h1, body, shownSecret, now - 301), false, 'from the future');
  const h2 = webhookHeaders(ed, 'msg_4', now, body);
  const shownKey = publicKeyShown(ed.privateKeyPem);
  assert.match(shownKey, /^whpk_/);
  assert.equal(verifyWebhook(h2, body, shownKey, now), true);
  assert.equal(
    verifyWebhook(h2, body, createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString(), now),
    true,
  );
  assert.equal(verifyWebhook(h2, body, shownKey, now + 301), false);
});

test('verifyWebhook refuses forgeries: another body, id, timestamp, key or kind', () => {
  const h = webhookHeaders(hmac, 'msg_5', now, body);
  const shown = encodeWebhookSecret(secret);
  assert.equal(verifyWebhook(h, body.replace('approved', 'rejected'), shown, now), false);
  assert.equal(verifyWebhook({ ...h, 'webhook-id': 'msg_6' }, body, shown, now), false);
  assert.equal(verifyWebhook({ ...h, 'webhook-timestamp': String(now + 1) }, body, shown, now), false);
  assert.equal(verifyWebhook(h, body, encodeWebhookSecret(new Uint8Array(32)), now), false);
  assert.equal(verifyWebhook({ ...h, 'webhook-signature': 'v1,' }, body, shown, now), false);
  assert.equal(verifyWebhook({ ...h, 'webhook-signature': 'garbage' }, body, shown, now), false);
  assert.equal(verifyWebhook({ ...h, 'webhook-timestamp': '1e9' }, body, shown, now), false);
  assert.equal(verifyWebhook({ 'webhook-id': 'x' }, body, shown, now), false);
  // An HMAC signature does not pass as Ed25519, nor an Ed25519 one made with another key.
  assert.equal(verifyWebhook(h, body, publicKeyShown(ed.privateKeyPem), now), false);
  const other = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  assert.equal(
    verifyWebhook(
      webhookHeaders({ kind: 'ed25519', privateKeyPem: other }, 'm', now, body),
      body,
      publicKeyShown(ed.privateKeyPem),
      now,
    ),
    false,
  );
});

test('one valid signature among several (key rotation) is enough', () => {
  const h = webhookHeaders(hmac, 'msg_7', now, body);
  const rotated = { ...h, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${h['webhook-signature']}` };
  assert.equal(verifyWebhook(rotated, body, encodeWebhookSecret(secret), now), true);
});

test('the whsec_ secret round-trips', () => {
  assert.deepEqual(decodeWebhookSecret(encodeWebhookSecret(secret)), secret);
});
