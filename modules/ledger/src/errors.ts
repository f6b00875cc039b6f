import { defineErrors, moduleErrors } from '@tongban/kernel';

export const LedgerErrors = defineErrors({
  LEDGER_LOG_NOT_FOUND: { status: 404, zh: '存证日志 {log} 不存在', en: 'Ledger log {log} does not exist' },
  LEDGER_LOG_EXISTS: { status: 409, zh: '存证日志 {log} 已存在', en: 'Ledger log {log} already exists' },
  LEDGER_NO_CHECKPOINT: {
    status: 404,
    zh: '存证日志 {log} 尚无签名检查点',
    en: 'Ledger log {log} has no checkpoint yet',
  },
  LEDGER_BEYOND_TREE: {
    status: 422,
    zh: '请求超出树的大小 {size}',
    en: 'The request goes beyond the tree size {size}',
  },
  LEDGER_RANGE_INVALID: { status: 422, zh: '范围不合法：{reason}', en: 'The range is not valid: {reason}' },
  LEDGER_NOT_YET_COVERED: {
    status: 409,
    zh: '第 {index} 条尚未被检查点覆盖，请稍后再取回执',
    en: 'Entry {index} is not covered by a checkpoint yet; ask again shortly',
  },
  LEDGER_ENTRY_INVALID: { status: 422, zh: '存证条目不合法', en: 'The ledger entry is not valid' },
  LEDGER_WITNESS_UNKNOWN_LOG: {
    status: 404,
    zh: '见证方不认识日志 {origin}',
    en: 'The witness does not know the log {origin}',
  },
  LEDGER_WITNESS_BAD_CHECKPOINT: {
    status: 422,
    zh: '检查点格式或签名不正确，见证方拒绝签名',
    en: 'The checkpoint is malformed or not signed by the log; the witness refuses',
  },
  LEDGER_WITNESS_BAD_PROOF: {
    status: 422,
    zh: '一致性证明无法证明检查点包含见证方已签署的历史（大小 {size}），拒绝签名',
    en: 'The consistency proof does not show the checkpoint extends the history the witness signed (size {size}); refused',
  },
  LEDGER_WITNESS_CONFLICT: {
    status: 409,
    zh: '见证方上次签署的大小为 {size}',
    en: 'The witness last co-signed size {size}',
  },
  LEDGER_WITNESS_FORK: {
    status: 409,
    zh: '检查点与见证方已签署的历史（大小 {size}）不一致，拒绝签名',
    en: 'The checkpoint is not consistent with the history the witness signed (size {size}); refused',
  },
});

/** Raise ledger's errors through this: a code outside LedgerErrors and the kernel's does not compile. */
export const LedgerError = moduleErrors(LedgerErrors);
