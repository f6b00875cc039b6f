// The hub's instance: the module context, identity's port and the masking tables (checked at start).
import type { ModuleContext } from '@tongban/kernel';
import { MASKING_POLICIES, validatePolicies, type MaskingPolicy } from '../domain/masking.ts';
import { REGISTRIES } from '../domain/registries.ts';
import { identityPort, type IdentityPort } from './identity.ts';

export interface Hub {
  readonly ctx: ModuleContext;
  readonly identity: IdentityPort;
  readonly masking: readonly MaskingPolicy[];
}

export function startHub(ctx: ModuleContext): Hub {
  // A policy naming an unknown strategy, resource or item stops the start here, not a request later.
  validatePolicies(MASKING_POLICIES, REGISTRIES);
  return { ctx, identity: identityPort(ctx.modules, ctx.log), masking: MASKING_POLICIES };
}
