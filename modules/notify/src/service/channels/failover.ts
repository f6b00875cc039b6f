// Several SMS providers as one (the rule itself: domain/failover.ts). Each message goes to the
// best provider; if that one is unavailable (a 5xx or a refused connection: nothing was sent),
// the message is tried once more on the next provider at once, so it still goes, and the failure
// counts towards demoting the first — 50 within 60 s. A timeout, or a connection lost after the
// request was written, also counts, but the message is NOT moved to another provider: the first
// may have taken it, and only it can deduplicate our messageId, so the delivery worker retries
// later, on the same messageId. A refusal of the message itself
// (`sms_rejected`) counts against no provider and is not retried.
import {
  DEFAULT_FAILOVER_RULE,
  initialFailoverState,
  isDemoted,
  providerOrder,
  recordFailure,
  type FailoverRule,
  type FailoverState,
} from '../../domain/failover.ts';
import { ChannelError, type SmsProvider } from './types.ts';

export { verifyGatewayReceipt, parseGatewayReceipt } from './sms-http.ts';

export interface FailoverSms extends SmsProvider {
  /** Which providers are demoted now (for the operator's view and tests). */
  demoted(): string[];
}

export function createFailoverSms(
  providers: readonly SmsProvider[],
  o: {
    errors?: number;
    windowMs?: number;
    cooldownMs?: number;
    now: () => number;
    /** Told when a provider is demoted, for logs and the security/ops view. */
    onDemoted?: (provider: string) => void;
  },
): FailoverSms {
  if (providers.length === 0) throw new Error('createFailoverSms: no provider');
  const rule: FailoverRule = {
    errors: o.errors ?? DEFAULT_FAILOVER_RULE.errors,
    windowMs: o.windowMs ?? DEFAULT_FAILOVER_RULE.windowMs,
    cooldownMs: o.cooldownMs ?? DEFAULT_FAILOVER_RULE.cooldownMs,
  };
  let state: FailoverState = initialFailoverState(providers.length);

  const fail = (index: number) => {
    const at = o.now();
    const was = isDemoted(state, index, at);
    state = recordFailure(state, index, at, rule);
    if (!was && isDemoted(state, index, at)) o.onDemoted?.((providers[index] as SmsProvider).name);
  };

  return {
    name: `failover(${providers.map((p) => p.name).join(',')})`,
    demoted: () => providers.filter((_, i) => isDemoted(state, i, o.now())).map((p) => p.name),
    async send(m) {
      const order = providerOrder(state, o.now()).slice(0, 2);
      let last: unknown;
      for (const index of order) {
        const provider = providers[index] as SmsProvider;
        try {
          return await provider.send(m);
        } catch (e) {
          last = e;
          if (e instanceof ChannelError && !e.retryable) throw e;
          fail(index);
          // Only "nothing was sent" moves the message to the next provider now.
          if (!(e instanceof ChannelError) || e.code !== 'provider_unavailable') throw e;
        }
      }
      throw last;
    },
  };
}
