import { MatterDraftView, MatterVersionView } from '@tongban/contracts';
import { Policies, type HttpApp, type ModuleContext } from '@tongban/kernel';
import { publishMatter } from '../service/publish.ts';
import * as store from '../store/catalog-store.ts';
import { CodeParam, MatterBody, Published, VersionList, VersionParam, VersionQuery } from './schemas.ts';
import { typed } from '../store/tables.ts';

const tags = ['catalog: matters'];
// The published versions' shape is the contracts' (what the workflow's client checks answers
// against); the form inside is free-form JSON Schema, returned as stored.

/** Matters (事项): drafts edited by operators, published as immutable versions. */
export function matterRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.get(
    '/matters/:code',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'The latest published version of a matter (or ?version=n)',
        params: CodeParam,
        querystring: VersionQuery,
        response: { 200: MatterVersionView },
      },
    },
    async (req) => store.getMatterVersion(typed(ctx.db), req.params.code, req.query.version),
  );

  app.get(
    '/matters/:code/versions',
    {
      config: { policy: Policies.public },
      schema: { tags, summary: 'Published versions of a matter', params: CodeParam, response: { 200: VersionList } },
    },
    async (req) => {
      await store.getMatterVersion(typed(ctx.db), req.params.code);
      return store.listVersions(typed(ctx.db), 'catalog.matter_version', req.params.code);
    },
  );

  app.get(
    '/matters/:code/versions/:version',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'One published version of a matter',
        params: VersionParam,
        response: { 200: MatterVersionView },
      },
    },
    async (req) => store.getMatterVersion(typed(ctx.db), req.params.code, req.params.version),
  );

  app.get(
    '/matters/:code/draft',
    {
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: 'The working draft of a matter',
        params: CodeParam,
        response: { 200: MatterDraftView },
      },
    },
    async (req) => store.getMatterDraft(typed(ctx.db), req.params.code),
  );

  app.put(
    '/matters/:code/draft',
    {
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: 'Save the working draft of a matter',
        params: CodeParam,
        body: MatterBody,
        response: { 200: MatterDraftView },
      },
    },
    async (req) => {
      const matter = { code: req.params.code, ...req.body };
      await store.saveMatterDraft(typed(ctx.db), matter);
      return matter;
    },
  );

  app.post(
    '/matters/:code/publish',
    {
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: 'Publish the draft as a new immutable version; validates everything first',
        params: CodeParam,
        response: { 201: Published },
      },
    },
    async (req, reply) => {
      const published = await publishMatter(ctx, req.params.code);
      return reply
        .code(201)
        .send({ code: published.code, version: published.version, publishedAt: published.publishedAt });
    },
  );
}
