import { defineErrors, moduleErrors } from '@tongban/kernel';

export const NotifyErrors = defineErrors({
  NOTIFY_NOTICE_NOT_FOUND: { status: 404, zh: '消息 {id} 不存在', en: 'Notice {id} does not exist' },
  NOTIFY_TEMPLATE_NOT_FOUND: {
    status: 404,
    zh: '没有“{kind}”在渠道“{channel}”上的模板',
    en: 'There is no template of {kind} on the channel {channel}',
  },
  NOTIFY_TEMPLATE_INVALID: {
    status: 422,
    zh: '模板无法发布：{reason}',
    en: 'The template cannot be published: {reason}',
  },
  NOTIFY_TEMPLATE_NO_DRAFT: {
    status: 409,
    zh: '“{kind}”在渠道“{channel}”上没有待发布的草稿',
    en: 'There is no draft of {kind} on {channel} to publish',
  },
  NOTIFY_PREFERENCES_INVALID: {
    status: 422,
    zh: '消息设置无效：{reason}',
    en: 'The preferences are not valid: {reason}',
  },
  NOTIFY_WEBHOOK_NOT_FOUND: { status: 404, zh: '回调订阅 {id} 不存在', en: 'Webhook subscription {id} does not exist' },
  NOTIFY_WEBHOOK_URL_REFUSED: {
    status: 422,
    zh: '回调地址不被接受：{reason}',
    en: 'The webhook address is not accepted: {reason}',
  },
  NOTIFY_DEAD_LETTER_NOT_FOUND: { status: 404, zh: '死信 {id} 不存在', en: 'Dead letter {id} does not exist' },
  NOTIFY_RECEIPT_REFUSED: {
    status: 401,
    zh: '短信回执签名无效',
    en: 'The delivery receipt is not signed by the gateway',
  },
  NOTIFY_PROVIDER_UNKNOWN: {
    status: 404,
    zh: '短信服务商 {provider} 未配置',
    en: 'SMS provider {provider} is not configured',
  },
});

/** Raise the notify module's errors through this: a code outside its table and the kernel's does not compile. */
export const NotifyError = moduleErrors(NotifyErrors);
