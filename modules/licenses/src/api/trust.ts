// Published status lists and the cross-region trust list (跨区域互认). Both published forms are
// public: a verifier anywhere fetches them without an account. Changing the trust list is the
// platform operators', at multi-factor: it decides whose licences this region accepts.
import { TrustEntry, TrustListVersion, TrustListView, TrustSelfDocument, TrustKeyJwk } from '@tongban/contracts';
import { definePolicies, Policies, type HttpApp } from '@tongban/kernel';
import Type from 'typebox';
import type { StatusPurpose } from '../domain/status-list/credential.ts';
import { LicenseError } from '../errors.ts';
import type { Licenses } from '../service/licenses.ts';
import { trustOf } from '../service/trust.ts';

const ListRef = Type.Object({ listId: Type.String({ pattern: '^sl-[0-9A-Za-z-]{1,60}$' }) });
const RegionRef = Type.Object({ region: Type.String({ pattern: '^\\d{6}$' }) });
const IssuerRef = Type.Object({
  region: Type.String({ pattern: '^\\d{6}$' }),
  issuer: Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' }),
});
/** Another region's `/trust-list/self` as it is, or just the entries to add. */
const AddBody = Type.Object(
  {
    region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
    entries: Type.Array(TrustEntry, { minItems: 1, maxItems: 200 }),
    trustListKey: Type.Optional(TrustKeyJwk),
  },
  { additionalProperties: false },
);

export function trustRoutes(app: HttpApp, licenses: Licenses): void {
  const trust = trustOf(licenses);
  const policies = definePolicies({
    // Whose licences verify here: an operator, multi-factor.
    operator: { kinds: ['operator'], assurance: 'mfa' },
  });
  const tags = ['licenses'];

  for (const purpose of ['revocation', 'suspension'] as const satisfies readonly StatusPurpose[]) {
    app.get(
      purpose === 'revocation' ? '/status-lists/:listId' : '/status-lists/:listId/suspension',
      {
        config: { policy: Policies.public },
        schema: {
          tags,
          summary: `An issuing department's ${purpose} list: a W3C BitstringStatusListCredential as application/vc+jwt (ES256, the issuer's key)`,
          params: ListRef,
        },
      },
      async (req, reply) => {
        const published = await trust.lists.publish(req.params.listId, purpose);
        if (!published) throw new LicenseError('LICENSES_STATUS_LIST_NOT_FOUND', { id: req.params.listId });
        void reply
          .header('etag', published.etag)
          .header('cache-control', `public, max-age=${published.maxAgeSeconds}`)
          .header('x-content-type-options', 'nosniff');
        if (req.headers['if-none-match'] === published.etag) return reply.code(304).send();
        return reply.type('application/vc+jwt').send(published.jwt);
      },
    );
  }

  app.get(
    '/trust-list',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary:
          "The current trust list of other regions' issuers, as JSON with the JWS this region signed (Accept: application/jose: the JWS alone)",
        response: { 200: TrustListView },
      },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'no-cache');
      const view = await trust.current();
      // The signed list alone, for a verifier that keeps the JWS as it was published (RFC 7515 §9.2.1).
      if ((req.headers.accept ?? '').includes('application/jose'))
        return reply.type('application/jose').send(view.jws as never);
      return view;
    },
  );

  app.get(
    '/trust-list/self',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: "This region's own issuers, keys and status-list base: what another region's operator adds",
        response: { 200: TrustSelfDocument },
      },
    },
    async () => trust.self(),
  );

  app.get(
    '/trust-list/versions',
    {
      config: { policy: policies.operator },
      schema: {
        tags,
        summary: 'Every version of the trust list, newest first: what changed, by whom, when',
        response: { 200: Type.Object({ versions: Type.Array(TrustListVersion) }) },
      },
    },
    async () => ({ versions: await trust.versions() }),
  );

  app.post(
    '/trust-list/entries',
    {
      config: { policy: policies.operator },
      schema: {
        tags,
        summary: "Add (or replace) other regions' issuers, e.g. another region's /trust-list/self: one new version",
        body: AddBody,
        response: { 201: TrustListView },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const view = await trust.add(req.body.entries, { kind: p.kind, id: p.id });
      return reply.code(201).send(view);
    },
  );

  app.delete(
    '/trust-list/entries/:region',
    {
      config: { policy: policies.operator },
      schema: {
        tags,
        summary: 'Remove every issuer of a region: one new version',
        params: RegionRef,
        response: { 200: TrustListView },
      },
    },
    async (req) => trust.remove(req.params.region, undefined, { kind: req.principal!.kind, id: req.principal!.id }),
  );

  app.delete(
    '/trust-list/entries/:region/:issuer',
    {
      config: { policy: policies.operator },
      schema: {
        tags,
        summary: 'Remove one issuer of a region: one new version',
        params: IssuerRef,
        response: { 200: TrustListView },
      },
    },
    async (req) =>
      trust.remove(req.params.region, req.params.issuer, { kind: req.principal!.kind, id: req.principal!.id }),
  );
}
