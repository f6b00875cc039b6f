import { defineErrors, moduleErrors } from '@tongban/kernel';

export const LicenseErrors = defineErrors({
  LICENSES_NOT_FOUND: { status: 404, zh: '电子证照 {id} 不存在', en: 'Licence {id} does not exist' },
  LICENSES_STATUS_NOT_ALLOWED: {
    status: 409,
    zh: '证照当前状态为“{status}”，不能{action}',
    en: 'The licence is {status}; it cannot be given the action {action}',
  },
  LICENSES_REASON_REQUIRED: { status: 422, zh: '请填写原因', en: 'Give a reason' },
  LICENSES_NOT_IN_FORCE: {
    status: 409,
    zh: '证照当前状态为“{status}”，不能出示',
    en: 'The licence is {status}: there is nothing to show',
  },
  // The wallet credential's (service/wallet.ts); its protocol endpoints answer OAuth errors instead (RFC 6749 §5.2).
  LICENSES_WALLET_NOT_VALID: {
    status: 409,
    zh: '证照当前状态为“{status}”，不能添加到卡包',
    en: 'The licence is {status}; it cannot be added to a wallet',
  },
  LICENSES_STATUS_LIST_NOT_FOUND: { status: 404, zh: '状态清单 {id} 不存在', en: 'Status list {id} does not exist' },
  LICENSES_TRUST_ENTRY_INVALID: {
    status: 422,
    zh: '可信发证机关条目无效',
    en: 'The trusted issuer entry is not valid',
  },
  LICENSES_TRUST_ENTRY_NOT_FOUND: {
    status: 404,
    zh: '可信名单中没有地区 {region} 的发证机关 {issuer}',
    en: 'The trust list has no issuer {issuer} of region {region}',
  },
});

/** Raise the licences module's errors through this: a code outside its table and the kernel's does not compile. */
export const LicenseError = moduleErrors(LicenseErrors);
