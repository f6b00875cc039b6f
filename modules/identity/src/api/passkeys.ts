// Passkeys (WebAuthn): a signed-in person enrols one (user verification required, so the
// authenticator checks a PIN or biometric), lists and removes them. The sign-in page's only
// script, served from here, asks the browser for an assertion and posts it as a form field.
import { IdentityError } from '../errors.ts';
import { Policies, type HttpApp, type ModuleContext } from '@tongban/kernel';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import Type from 'typebox';
import { findAccountById } from '../store/accounts.ts';
import { enrolPasskey, removePasskey } from '../service/passkeys.ts';
import { CHALLENGE_SECONDS, passkeysOf, saveChallenge, takeChallenge } from '../store/passkeys.ts';
import { sendFactorNotice } from '../service/sms.ts';
import { typed } from '../store/tables.ts';

const tags = ['identity: passkeys'];
const EVERYONE = { kinds: ['citizen', 'business', 'officer', 'operator', 'security'] } as const;
/** A passkey is a second factor: adding or removing one needs multi-factor already (see accounts.ts). */
const FACTOR_CHANGE = { ...EVERYONE, assurance: 'mfa' } as const;
const B64URL = '^[A-Za-z0-9_-]+$';
const CredentialId = Type.String({ pattern: B64URL, minLength: 16, maxLength: 1400 });
const Registration = Type.Object({
  id: CredentialId,
  rawId: CredentialId,
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: Type.String({ pattern: B64URL, maxLength: 4096 }),
    attestationObject: Type.String({ pattern: B64URL, maxLength: 16384 }),
    transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
  }),
  clientExtensionResults: Type.Optional(Type.Object({})),
  authenticatorAttachment: Type.Optional(Type.String({ maxLength: 32 })),
});

/** The relying party of WebAuthn is the issuer's host; a response must come from its origin. */
export function relyingPartyOf(issuer: string): { rpID: string; origin: string } {
  const url = new URL(issuer);
  return { rpID: url.hostname, origin: url.origin };
}

export function passkeyRoutes(app: HttpApp, ctx: ModuleContext, issuer: () => string): void {
  app.post(
    '/me/passkeys/options',
    {
      config: { policy: FACTOR_CHANGE },
      schema: { tags, summary: 'Start enrolling a passkey: the options for navigator.credentials.create' },
    },
    async (request) => {
      const me = await findAccountById(typed(ctx.db), request.principal!.id);
      if (!me) throw new IdentityError('UNAUTHENTICATED');
      const existing = await passkeysOf(typed(ctx.db), me.id);
      const options = await generateRegistrationOptions({
        rpName: '通办 Tongban',
        rpID: relyingPartyOf(issuer()).rpID,
        userName: me.login,
        userDisplayName: me.displayName,
        userID: new TextEncoder().encode(me.id),
        attestationType: 'none',
        timeout: CHALLENGE_SECONDS * 1000,
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
        excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
      });
      await saveChallenge(typed(ctx.db), me.id, 'register', options.challenge, CHALLENGE_SECONDS);
      return options;
    },
  );

  app.post(
    '/me/passkeys',
    {
      config: { policy: FACTOR_CHANGE },
      schema: {
        tags,
        summary: 'Finish enrolling: the attestation from navigator.credentials.create',
        body: Registration,
      },
    },
    async (request, reply) => {
      const accountId = request.principal!.id;
      const challenge = await takeChallenge(typed(ctx.db), accountId, 'register');
      const rejected = () => new IdentityError('IDENTITY_PASSKEY_REJECTED');
      if (!challenge) throw rejected();
      const { rpID, origin } = relyingPartyOf(issuer());
      const result = await verifyRegistrationResponse({
        response: request.body as RegistrationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        requireUserVerification: true,
      }).catch((e: unknown) => {
        request.log.info({ err: e }, 'passkey registration refused');
        return { verified: false as const };
      });
      if (!result.verified) throw rejected();
      const { credential } = result.registrationInfo;
      await enrolPasskey(ctx, accountId, credential);
      await sendFactorNotice(ctx, accountId, { factor: 'passkey', change: 'enrolled' });
      return reply.code(201).send({ id: credential.id });
    },
  );

  app.get(
    '/me/passkeys',
    {
      config: { policy: EVERYONE },
      schema: { tags, summary: 'My passkeys' },
    },
    async (request) => {
      const passkeys = await passkeysOf(typed(ctx.db), request.principal!.id);
      return {
        items: passkeys.map((p) => ({
          id: p.id,
          transports: p.transports,
          createdAt: p.createdAt,
          lastUsedAt: p.lastUsedAt,
        })),
      };
    },
  );

  app.delete(
    '/me/passkeys/:id',
    {
      config: { policy: FACTOR_CHANGE },
      schema: { tags, summary: 'Remove one of my passkeys', params: Type.Object({ id: CredentialId }) },
    },
    async (request, reply) => {
      const accountId = request.principal!.id;
      await removePasskey(ctx, accountId, request.params.id);
      await sendFactorNotice(ctx, accountId, { factor: 'passkey', change: 'removed' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/static/passkey.js',
    {
      config: { policy: Policies.public },
      schema: { hide: true },
    },
    async (_request, reply) => {
      reply.type('application/javascript; charset=utf-8');
      reply.header('cache-control', 'public, max-age=300');
      return PASSKEY_SCRIPT;
    },
  );
}

/**
 * The second-factor page's script (CSP script-src 'self': no inline script). On submit it fetches
 * the options, asks the authenticator, and puts the JSON answer in the form's hidden field.
 */
export const PASSKEY_SCRIPT = `'use strict';
(function () {
  var form = document.getElementById('passkey-form');
  if (!form || !window.PublicKeyCredential) return;
  var field = document.getElementById('credential');
  var b64 = function (buf) {
    var s = ''; var bytes = new Uint8Array(buf);
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  };
  var bytes = function (text) {
    var s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  };
  form.addEventListener('submit', function (event) {
    if (field.value) return;
    event.preventDefault();
    fetch(form.getAttribute('data-options'), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('options'); return r.json(); })
      .then(function (o) {
        return navigator.credentials.get({ publicKey: {
          challenge: bytes(o.challenge), rpId: o.rpId, timeout: o.timeout, userVerification: o.userVerification,
          allowCredentials: (o.allowCredentials || []).map(function (c) { return { type: 'public-key', id: bytes(c.id), transports: c.transports }; }),
        } });
      })
      .then(function (c) {
        field.value = JSON.stringify({
          id: c.id, rawId: b64(c.rawId), type: c.type, clientExtensionResults: {},
          response: {
            clientDataJSON: b64(c.response.clientDataJSON), authenticatorData: b64(c.response.authenticatorData),
            signature: b64(c.response.signature), userHandle: c.response.userHandle ? b64(c.response.userHandle) : undefined,
          },
        });
        form.submit();
      })
      .catch(function () { field.value = '{}'; form.submit(); });
  });
})();
`;
