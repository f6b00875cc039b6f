import { Policies, type HttpApp, type ModuleContext } from '@tongban/kernel';
import Type from 'typebox';
import { LIFE_EVENTS } from '../domain/model.ts';
import { search } from '../store/search-store.ts';
import { SearchQuery, SearchResult } from './schemas.ts';
import { typed } from '../store/tables.ts';

const tags = ['catalog: search'];

/** Finding a service: by words in Chinese or English, by department, by life event. */
export function searchRoutes(app: HttpApp, ctx: ModuleContext): void {
  app.get(
    '/search',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'Search published matters and bundles',
        querystring: SearchQuery,
        response: { 200: SearchResult },
      },
    },
    async (req) => search(typed(ctx.db), req.query),
  );

  app.get(
    '/life-events',
    {
      config: { policy: Policies.public },
      schema: {
        tags,
        summary: 'Life events (人生事件) that group services',
        response: {
          200: Type.Array(
            Type.Object({ code: Type.String(), name: Type.Object({ zh: Type.String(), en: Type.String() }) }),
          ),
        },
      },
    },
    async () => Object.entries(LIFE_EVENTS).map(([code, name]) => ({ code, name })),
  );
}
