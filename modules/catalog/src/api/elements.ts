import { Policies, type HttpApp, type ModuleContext } from '@tongban/kernel';
import Type from 'typebox';
import * as store from '../store/catalog-store.ts';
import { DataElementBody, DataElementView, ElementIdParam } from './schemas.ts';
import { typed } from '../store/tables.ts';

const tags = ['catalog: data elements'];

/** The data-element dictionary (数据元): one definition per meaning, shared by every form. */
export function elementRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.get(
    '/data-elements',
    {
      config: { policy: Policies.public },
      schema: { tags, summary: 'List data elements', response: { 200: Type.Array(DataElementView) } },
    },
    async () => store.listElements(typed(ctx.db)),
  );

  app.get(
    '/data-elements/:id',
    {
      config: { policy: Policies.public },
      schema: { tags, summary: 'Get a data element', params: ElementIdParam, response: { 200: DataElementView } },
    },
    async (req) => store.getElement(typed(ctx.db), req.params.id),
  );

  app.put(
    '/data-elements/:id',
    {
      config: { policy: Policies.operator },
      schema: {
        tags,
        summary: 'Create or update a data element',
        params: ElementIdParam,
        body: DataElementBody,
        response: { 200: DataElementView },
      },
    },
    async (req) => {
      const element = { id: req.params.id, ...req.body };
      await store.putElement(typed(ctx.db), element);
      return element;
    },
  );
}
