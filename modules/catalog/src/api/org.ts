import { Policies, type HttpApp, type ModuleContext } from '@tongban/kernel';
import Type from 'typebox';
import * as store from '../store/catalog-store.ts';
import {
  CodeParam,
  DepartmentBody,
  DepartmentCodeParam,
  DepartmentView,
  RegionBody,
  RegionCodeParam,
  RegionView,
} from './schemas.ts';
import { typed } from '../store/tables.ts';

const tags = ['catalog: organisation'];

/** Regions and departments (组织机构): the org tree every matter hangs from. */
export function orgRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.get(
    '/regions',
    {
      config: { policy: Policies.public },
      schema: { tags, summary: 'List regions', response: { 200: Type.Array(RegionView) } },
    },
    async () => store.listRegions(typed(ctx.db)),
  );

  app.put(
    '/regions/:code',
    {
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: 'Create or update a region',
        params: RegionCodeParam,
        body: RegionBody,
        response: { 200: RegionView },
      },
    },
    async (req) => {
      const region = { code: req.params.code, ...req.body };
      await store.putRegion(typed(ctx.db), region);
      return region;
    },
  );

  app.get(
    '/departments',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'List departments',
        querystring: Type.Object(
          { region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(DepartmentView) },
      },
    },
    async (req) => store.listDepartments(typed(ctx.db), req.query.region),
  );

  app.get(
    '/departments/:code',
    {
      config: { policy: Policies.public },
      schema: { tags, summary: 'Get a department', params: CodeParam, response: { 200: DepartmentView } },
    },
    async (req) => store.getDepartment(typed(ctx.db), req.params.code),
  );

  app.put(
    '/departments/:code',
    {
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: 'Create or update a department',
        params: DepartmentCodeParam,
        body: DepartmentBody,
        response: { 200: DepartmentView },
      },
    },
    async (req) => {
      const department = { code: req.params.code, ...req.body };
      await store.putDepartment(typed(ctx.db), department);
      return department;
    },
  );

  app.get(
    '/org',
    {
      config: { policy: Policies.public },
      schema: { tags, summary: 'The org tree: regions with their departments, nested' },
    },
    async () => {
      const [regions, departments] = await Promise.all([
        store.listRegions(typed(ctx.db)),
        store.listDepartments(typed(ctx.db)),
      ]);
      type Node = (typeof departments)[number] & { children: Node[] };
      const nodes = new Map<string, Node>(departments.map((d) => [d.code, { ...d, children: [] }]));
      const roots: Node[] = [];
      for (const node of nodes.values()) {
        const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
        if (parent) parent.children.push(node);
        else roots.push(node);
      }
      return regions.map((r) => ({ ...r, departments: roots.filter((d) => d.regionCode === r.code) }));
    },
  );
}
