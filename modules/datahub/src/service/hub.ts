// The hub's instance: the module context, identity's port, the masking tables (checked at start),
// the resource definitions it keeps for a few seconds, the coalesced reads of lookups and the HTTP
// sources it polls.
import type { ModuleContext } from '@tongban/kernel';
import { MASKING_POLICIES, validatePolicies, type MaskingPolicy } from '../domain/masking.ts';
import { REGISTRIES } from '../domain/registries.ts';
import type { Connector } from './connectors.ts';
import { identityPort, type IdentityPort } from './identity.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { QUERY_ROW_LIMIT } from './query.ts';
import { ResourceCache } from './resources.ts';

export interface Hub {
  readonly ctx: ModuleContext;
  readonly identity: IdentityPort;
  readonly masking: readonly MaskingPolicy[];
  readonly resources: ResourceCache;
  /** Grants and rows read for lookups, coalesced across concurrent requests (service/loaders.ts). */
  readonly loaders: Loaders;
  /** The configured HTTP sources being polled (service/polling.ts): started once the server listens. */
  readonly sources: Connector[];
}

export function startHub(ctx: ModuleContext): Hub {
  // A policy naming an unknown strategy, resource or item stops the start here, not a request later.
  validatePolicies(MASKING_POLICIES, REGISTRIES);
  return {
    ctx,
    identity: identityPort(ctx.modules, ctx.log),
    masking: MASKING_POLICIES,
    resources: new ResourceCache(ctx),
    loaders: createLoaders(ctx, QUERY_ROW_LIMIT),
    sources: [],
  };
}
