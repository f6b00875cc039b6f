import { defineErrors, moduleErrors } from '@tongban/kernel';

export const SentinelErrors = defineErrors({
  SENTINEL_ALERT_NOT_FOUND: { status: 404, zh: '告警 {id} 不存在', en: 'Alert {id} does not exist' },
  SENTINEL_RESPONSE_NOT_FOUND: { status: 404, zh: '处置 {id} 不存在', en: 'Response {id} does not exist' },
  SENTINEL_ALERT_STATE: {
    status: 409,
    zh: '告警当前状态为“{status}”，不能{action}',
    en: 'The alert is {status}; it cannot be {action}',
  },
  SENTINEL_RESPONSE_NOT_ACTIVE: {
    status: 409,
    zh: '处置当前状态为“{state}”，无需解除',
    en: 'The response is {state}; there is nothing to lift',
  },
  SENTINEL_TARGET_INVALID: {
    status: 422,
    zh: '处置“{action}”需要指定{needs}',
    en: 'The response {action} needs a target {needs}',
  },
});

/** Raise sentinel's errors through this: a code outside its table and the kernel's does not compile. */
export const SentinelError = moduleErrors(SentinelErrors);
