// The configured HTTP JSON sources (接口归集, TONGBAN_CONFIG `datahub.connectors`), polled by a
// serving process: started once the server listens — never by `tongban import` or `seed` — and
// stopped with the module (a poll under way finishes first). A source naming an unknown resource,
// cleaning rules that do not fit it, or plain http in production stop the start with the setting's
// path. Each poll is an import run of its own (datahub.import_run, by 'connector'), logged.
import type { ModuleContext } from '@tongban/kernel';
import { loadCleaning } from '../domain/cleaning.ts';
import type { ResourceDefinition } from '../domain/resource.ts';
import { startConnector, type Connector, type HttpConnectorConfig } from './connectors.ts';
import { resolveResource } from './import.ts';

export class SourceConfigError extends Error {
  override readonly name = 'SourceConfigError';
}

export async function startSources(ctx: ModuleContext): Promise<Connector[]> {
  const planned: { resource: ResourceDefinition; config: HttpConnectorConfig }[] = [];
  for (const [i, c] of ctx.config.datahub.connectors.entries()) {
    const at = `datahub.connectors.${i}`;
    if (ctx.config.env === 'production' && !c.url.startsWith('https://'))
      throw new SourceConfigError(`${at}.url: production polls its sources over https only`);
    const resource = await resolveResource(ctx.db, c.resource);
    if (!resource) throw new SourceConfigError(`${at}.resource: no data resource '${c.resource}'`);
    let rules;
    try {
      rules = c.rules === undefined ? undefined : loadCleaning(resource, c.rules);
    } catch (error) {
      throw new SourceConfigError(`${at}.rules: ${(error as Error).message}`);
    }
    const { rules: _raw, resource: _code, ...http } = c;
    planned.push({ resource, config: { ...http, ...(rules ? { rules } : {}) } });
  }
  return planned.map(({ resource, config }) => {
    const source = new URL(config.url);
    const where = { resource: resource.code, source: `${source.origin}${source.pathname}` };
    return startConnector(ctx, resource, config, {
      onReport: (r) =>
        ctx.log.info(
          {
            ...where,
            runId: r.runId,
            read: r.done,
            inserted: r.inserted,
            updated: r.updated,
            unchanged: r.unchanged,
            rejected: r.rejected,
          },
          'source polled',
        ),
      onError: (error) => ctx.log.warn({ ...where, err: error }, 'source poll failed; the next poll tries again'),
    });
  });
}
