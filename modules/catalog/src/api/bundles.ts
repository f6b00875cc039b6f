import { BundleDraftView, BundleVersionView } from '@tongban/contracts';
import { Policies, type HttpApp, type ModuleContext } from '@tongban/kernel';
import { publishBundle } from '../service/publish.ts';
import * as store from '../store/catalog-store.ts';
import { BundleBody, CodeParam, Published, VersionList, VersionParam, VersionQuery } from './schemas.ts';
import { typed } from '../store/tables.ts';

const tags = ['catalog: bundles'];

/** Bundles (一件事): matters applied for together, with their dependencies and one merged form. */
export function bundleRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.get(
    '/bundles/:code',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'The latest published version of a bundle (or ?version=n), with its merged form',
        params: CodeParam,
        querystring: VersionQuery,
        response: { 200: BundleVersionView },
      },
    },
    async (req) => store.getBundleVersion(typed(ctx.db), req.params.code, req.query.version),
  );

  app.get(
    '/bundles/:code/versions',
    {
      config: { policy: Policies.public },
      schema: { tags, summary: 'Published versions of a bundle', params: CodeParam, response: { 200: VersionList } },
    },
    async (req) => {
      await store.getBundleVersion(typed(ctx.db), req.params.code);
      return store.listVersions(typed(ctx.db), 'catalog.bundle_version', req.params.code);
    },
  );

  app.get(
    '/bundles/:code/versions/:version',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'One published version of a bundle',
        params: VersionParam,
        response: { 200: BundleVersionView },
      },
    },
    async (req) => store.getBundleVersion(typed(ctx.db), req.params.code, req.params.version),
  );

  app.get(
    '/bundles/:code/draft',
    {
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: 'The working draft of a bundle',
        params: CodeParam,
        response: { 200: BundleDraftView },
      },
    },
    async (req) => store.getBundleDraft(typed(ctx.db), req.params.code),
  );

  app.put(
    '/bundles/:code/draft',
    {
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: 'Save the working draft of a bundle',
        params: CodeParam,
        body: BundleBody,
        response: { 200: BundleDraftView },
      },
    },
    async (req) => {
      const bundle = { code: req.params.code, ...req.body };
      await store.saveBundleDraft(typed(ctx.db), bundle);
      return bundle;
    },
  );

  app.post(
    '/bundles/:code/publish',
    {
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: 'Publish the draft, pinned to the latest published version of each matter',
        params: CodeParam,
        response: { 201: Published },
      },
    },
    async (req, reply) => {
      const published = await publishBundle(ctx, req.params.code);
      return reply
        .code(201)
        .send({ code: published.code, version: published.version, publishedAt: published.publishedAt });
    },
  );
}
