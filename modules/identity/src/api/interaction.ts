// The sign-in pages the OpenID provider sends a browser to (its "interactions").
import { IdentityError } from '../errors.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { negotiateLang, Policies, type HttpApp, type Lang, type ModuleContext } from '@tongban/kernel';
import { errors, type default as Provider } from 'oidc-provider';
import Type from 'typebox';
import {
  deadEndPage,
  elderCookie,
  elderOf,
  READ_ALOUD_SCRIPT,
  signInPage,
  type Field,
  type PageInput,
} from './pages.ts';
import { ACR_MFA } from '../service/provider.ts';
import { relyingPartyOf } from './passkeys.ts';
import {
  passkeySignInOptions,
  passkeyStep,
  passwordStep,
  secondFactorStep,
  type StepResult,
} from '../service/sign-in.ts';
import { devSmsSender } from '../service/sms.ts';
import { deviceSetCookie, parseCookies } from '../service/known-devices.ts';
import { signInStepFactor } from '../store/sign-in-steps.ts';
import { typed } from '../store/tables.ts';

const LOGIN_FIELDS: readonly Field[] = [
  { name: 'login', label: 'login', type: 'text', autocomplete: 'username' },
  { name: 'password', label: 'password', type: 'password', autocomplete: 'current-password' },
];
const TOTP_FIELDS: readonly Field[] = [
  { name: 'code', label: 'totp', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric' },
];
const SMS_FIELDS: readonly Field[] = [
  { name: 'code', label: 'smsCode', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric' },
];
const secondPage = (factor: string) =>
  factor === 'sms'
    ? { heading: 'smsHeading' as const, fields: SMS_FIELDS }
    : { heading: 'totpHeading' as const, fields: TOTP_FIELDS };
/** Where a sign-in's step page is (GET): the language and 长辈版 links go there. */
const stepPage = (uid: string) => `/api/identity/interaction/${uid}`;
const passkeyPage = (uid: string, lang: Lang, error?: { message: 'badPasskey'; field: string }) => ({
  lang,
  here: stepPage(uid),
  heading: 'passkeyHeading' as const,
  fields: [],
  action: `/api/identity/interaction/${uid}/passkey?lang=${lang}`,
  passkeyOptions: `/api/identity/interaction/${uid}/passkey-options`,
  ...(error ? { error } : {}),
});

const Uid = Type.Object({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }) });
const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])) },
  { additionalProperties: false },
);
/** A step's page: its language, and 长辈版 switched on or off there (remembered in the portal's cookie). */
const PageQuery = Type.Object(
  {
    lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])),
    elder: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1')])),
  },
  { additionalProperties: false },
);
const LoginForm = Type.Object(
  { login: Type.String({ maxLength: 64 }), password: Type.String({ maxLength: 256 }) },
  { additionalProperties: false },
);
const CodeForm = Type.Object({ code: Type.String({ maxLength: 16 }) }, { additionalProperties: false });
const PasskeyForm = Type.Object({ credential: Type.String({ maxLength: 6000 }) }, { additionalProperties: false });

/**
 * Browsers enforce CSP form-action on every redirect a form's post sets off (Chromium blocks the
 * navigation, "violates form-action 'self'"), and a sign-in's last redirect goes to the client's
 * redirect_uri — for the development client another origin (its loopback callback). So a sign-in
 * page allows its own sign-in's redirect_uri too: oidc-provider checked it against the client's
 * registration before the interaction began, and no other destination is added.
 */
export function formActionTo(res: ServerResponse, redirectUri: unknown): void {
  const policy = res.getHeader('content-security-policy');
  if (typeof policy !== 'string' || typeof redirectUri !== 'string' || !URL.canParse(redirectUri)) return;
  const url = new URL(redirectUri);
  // A native app's private-use scheme (com.example.app:/cb) has no origin: its scheme is the source.
  const source = url.origin === 'null' ? url.protocol : url.origin;
  res.setHeader(
    'content-security-policy',
    policy.replace(
      /(^|;)(\s*form-action [^;]*)/,
      (_m, start: string, directive: string) => `${start}${directive} ${source}`,
    ),
  );
}

export function interactionRoutes(app: HttpApp, ctx: ModuleContext, provider: () => Promise<Provider>): void {
  // Sign-in forms post as application/x-www-form-urlencoded, at most a few kilobytes.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 8192 },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  const langOf = (query: { lang?: Lang }, accept: string | undefined): Lang => query.lang ?? negotiateLang(accept);
  // 长辈版 as the person chose it in the portal (its cookie): the sign-in pages follow it.
  const page = (request: { headers: IncomingMessage['headers'] }, input: PageInput) =>
    signInPage({ elder: elderOf(request.headers.cookie), ...input });
  /** `redirectUri`: the sign-in's, on pages whose form may end the sign-in (see formActionTo). */
  const html = (
    reply: { type(t: string): unknown; header(k: string, v: string): unknown; raw: ServerResponse },
    redirectUri?: unknown,
  ) => {
    reply.type('text/html; charset=utf-8');
    reply.header('cache-control', 'no-store');
    if (redirectUri !== undefined) formActionTo(reply.raw, redirectUri);
  };
  type Reply = {
    raw: ServerResponse;
    code(status: number): { send(body: string): unknown };
    type(t: string): unknown;
    header(k: string, v: string): unknown;
  };
  // A missing, expired or finished interaction (no cookie, too old, the back button): a browser
  // gets a page saying so and where to start again, a program problem+json.
  const detailsOr = async (
    request: { raw: IncomingMessage; headers: IncomingMessage['headers']; query: unknown },
    reply: Reply,
  ) => {
    const oidc = await provider();
    try {
      return await oidc.interactionDetails(request.raw, reply.raw);
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      if (!/\btext\/html\b/.test(request.headers.accept ?? '')) throw new IdentityError('IDENTITY_SIGN_IN_EXPIRED');
      html(reply);
      reply.code(400).send(
        deadEndPage({
          lang: langOf(request.query as { lang?: Lang }, request.headers['accept-language']),
          reason: 'deadEndExpired',
          elder: elderOf(request.headers.cookie),
          startAgain: `${oidc.issuer}/portal/`,
        }),
      );
      return undefined;
    }
  };

  app.get(
    '/interaction/:uid',
    {
      config: { policy: Policies.public },
      schema: { hide: true, params: Uid, querystring: PageQuery },
    },
    async (request, reply) => {
      const oidc = await provider();
      // 长辈版 switched here: remembered as the portal remembers it, so the portal follows too.
      const elder = request.query.elder === undefined ? elderOf(request.headers.cookie) : request.query.elder === '1';
      if (request.query.elder !== undefined)
        reply.header('set-cookie', elderCookie(elder, oidc.issuer.startsWith('https:')));
      const details = await detailsOr(request, reply);
      if (!details) return reply;
      if (details.prompt.name === 'consent') {
        // First-party platform: what a registered client asks for is granted without a screen
        // (documented in docs/security.md); the grant is still recorded and revocable.
        const { session, params, prompt, grantId } = details;
        const grant = grantId
          ? (await oidc.Grant.find(grantId))!
          : new oidc.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
        const missing = prompt.details as {
          missingOIDCScope?: string[];
          missingOIDCClaims?: string[];
          missingResourceScopes?: Record<string, string[]>;
        };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
          grant.addResourceScope(resource, scopes.join(' '));
        const saved = await grant.save();
        reply.hijack();
        await oidc.interactionFinished(
          request.raw,
          reply.raw,
          { consent: grantId ? {} : { grantId: saved } },
          { mergeWithLastSubmission: true },
        );
        return reply;
      }
      const lang = langOf(request.query, request.headers['accept-language']);
      const second = await signInStepFactor(typed(ctx.db), details.uid);
      html(reply, details.params.redirect_uri);
      if (second === 'passkey') return page(request, { ...passkeyPage(details.uid, lang), elder });
      return second
        ? page(request, {
            lang,
            elder,
            here: stepPage(details.uid),
            ...secondPage(second),
            action: `/api/identity/interaction/${details.uid}/code?lang=${lang}`,
          })
        : page(request, {
            lang,
            elder,
            here: stepPage(details.uid),
            registerLink: true,
            heading: 'heading',
            action: `/api/identity/interaction/${details.uid}/login?lang=${lang}`,
            fields: LOGIN_FIELDS,
          });
    },
  );

  const finish = async (
    request: { raw: IncomingMessage; ip: string },
    reply: { hijack(): void; raw: ServerResponse },
    result: StepResult & { outcome: 'done' },
  ) => {
    const oidc = await provider();
    // Set before the provider writes its own cookies: it appends to the Set-Cookie already there.
    if (result.device)
      reply.raw.appendHeader('set-cookie', deviceSetCookie(result.device, oidc.issuer.startsWith('https:')));
    reply.hijack();
    await oidc.interactionFinished(
      request.raw,
      reply.raw,
      {
        // `ip`: the address as the kernel trusts it (X-Forwarded-For only from TONGBAN_HTTP_TRUST_PROXY),
        // for identity.sign-in.succeeded once the provider resumes (service/runtime.ts).
        login: { accountId: result.accountId, acr: result.acr, amr: result.amr, remember: false, ip: request.ip },
      },
      { mergeWithLastSubmission: false },
    );
  };

  app.post(
    '/interaction/:uid/login',
    {
      config: { policy: Policies.public },
      schema: { hide: true, params: Uid, querystring: LangQuery, body: LoginForm },
    },
    async (request, reply) => {
      const details = await detailsOr(request, reply);
      if (!details) return reply;
      const lang = langOf(request.query, request.headers['accept-language']);
      const { login, password } = request.body;
      const again = (message: 'missing' | 'badCredentials' | 'mfaRequired' | 'throttled' | 'busy', field: string) => {
        html(reply, details.params.redirect_uri);
        reply.code(message === 'missing' ? 400 : message === 'throttled' ? 429 : message === 'busy' ? 503 : 401);
        return page(request, {
          lang,
          here: stepPage(details.uid),
          registerLink: true,
          heading: 'heading',
          action: request.url,
          fields: LOGIN_FIELDS.map((f) => (f.name === 'login' ? { ...f, value: login } : f)),
          error: { message, field },
        });
      };
      if (!login.trim()) return again('missing', 'login');
      if (!password) return again('missing', 'password');
      const wantsMfa = String(details.params.acr_values ?? '')
        .split(' ')
        .includes(ACR_MFA);
      const result = await passwordStep(
        ctx,
        {
          uid: details.uid,
          ip: request.ip,
          now: ctx.clock.now(),
          wantsMfa,
          sms: devSmsSender(ctx),
          cookies: parseCookies(request.headers.cookie),
        },
        login,
        password,
      );
      if (result.outcome === 'failed') return again('badCredentials', 'login');
      if (result.outcome === 'throttled' || result.outcome === 'busy') {
        reply.header('retry-after', String(result.outcome === 'busy' ? 1 : result.retryAfterSeconds));
        return again(result.outcome, 'login');
      }
      if (result.outcome === 'mfa_not_enrolled') return again('mfaRequired', 'login');
      if (result.outcome === 'needs_second_factor') {
        return reply.redirect(`/api/identity/interaction/${details.uid}?lang=${lang}`, 303);
      }
      return finish(request, reply, result);
    },
  );

  app.post(
    '/interaction/:uid/code',
    {
      config: { policy: Policies.public },
      schema: { hide: true, params: Uid, querystring: LangQuery, body: CodeForm },
    },
    async (request, reply) => {
      const details = await detailsOr(request, reply);
      if (!details) return reply;
      const lang = langOf(request.query, request.headers['accept-language']);
      const step = await signInStepFactor(typed(ctx.db), details.uid);
      const result = await secondFactorStep(
        ctx,
        {
          uid: details.uid,
          ip: request.ip,
          now: ctx.clock.now(),
          cookies: parseCookies(request.headers.cookie),
        },
        request.body.code,
      );
      if (result.outcome !== 'done') {
        html(reply, details.params.redirect_uri);
        if (result.outcome === 'throttled') reply.header('retry-after', String(result.retryAfterSeconds));
        reply.code(result.outcome === 'throttled' ? 429 : 401);
        return page(request, {
          lang,
          here: stepPage(details.uid),
          ...secondPage(step ?? 'totp'),
          action: request.url,
          error: { message: result.outcome === 'throttled' ? 'throttled' : 'badCode', field: 'code' },
        });
      }
      return finish(request, reply, result);
    },
  );

  app.get(
    '/interaction/:uid/passkey-options',
    {
      config: { policy: Policies.public },
      schema: { hide: true, params: Uid },
    },
    async (request, reply) => {
      const oidc = await provider();
      const details = await detailsOr(request, reply);
      if (!details) return reply;
      const options = await passkeySignInOptions(ctx, details.uid, relyingPartyOf(oidc.issuer).rpID);
      reply.header('cache-control', 'no-store');
      if (!options)
        throw new IdentityError('NOT_FOUND', {}, [
          { field: 'params.uid', code: 'not_found', message: 'this sign-in has no passkey step' },
        ]);
      return options;
    },
  );

  app.post(
    '/interaction/:uid/passkey',
    {
      config: { policy: Policies.public },
      schema: { hide: true, params: Uid, querystring: LangQuery, body: PasskeyForm },
    },
    async (request, reply) => {
      const oidc = await provider();
      const details = await detailsOr(request, reply);
      if (!details) return reply;
      const lang = langOf(request.query, request.headers['accept-language']);
      const result = await passkeyStep(
        ctx,
        {
          uid: details.uid,
          ip: request.ip,
          now: ctx.clock.now(),
          cookies: parseCookies(request.headers.cookie),
        },
        relyingPartyOf(oidc.issuer),
        request.body.credential,
      );
      if (result.outcome !== 'done') {
        html(reply, details.params.redirect_uri);
        reply.code(401);
        return page(request, passkeyPage(details.uid, lang, { message: 'badPasskey', field: 'passkey-button' }));
      }
      return finish(request, reply, result);
    },
  );

  // 长辈版's 朗读本页 on the sign-in pages (CSP script-src 'self': no inline script).
  app.get(
    '/static/read-aloud.js',
    { config: { policy: Policies.public }, schema: { hide: true } },
    async (_request, reply) => {
      reply.type('application/javascript; charset=utf-8');
      reply.header('cache-control', 'public, max-age=300');
      return READ_ALOUD_SCRIPT;
    },
  );
}
