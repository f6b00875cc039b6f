import { defineErrors, moduleErrors } from '@tongban/kernel';

export const WorkflowErrors = defineErrors({
  WORKFLOW_APPLICATION_NOT_FOUND: { status: 404, zh: '办件 {id} 不存在', en: 'Application {id} does not exist' },
  WORKFLOW_TASK_NOT_FOUND: { status: 404, zh: '部门办件 {id} 不存在', en: 'Task {id} does not exist' },
  WORKFLOW_NOTICE_NOT_FOUND: { status: 404, zh: '消息 {id} 不存在', en: 'Notice {id} does not exist' },
  WORKFLOW_FORM_INVALID: {
    status: 422,
    zh: '申请表有 {count} 处需要修改',
    en: 'The form has {count} problem(s) to fix',
  },
  WORKFLOW_MATERIALS_INVALID: {
    status: 422,
    zh: '申请材料有 {count} 处问题',
    en: 'The materials have {count} problem(s)',
  },
  WORKFLOW_IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    zh: '提交申请需要 Idempotency-Key 请求头',
    en: 'Submitting needs an Idempotency-Key header',
  },
  WORKFLOW_IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '此 Idempotency-Key 已用于另一份申请',
    en: 'This Idempotency-Key was already used for a different application',
  },
  WORKFLOW_ALREADY_SUBMITTED: {
    status: 409,
    zh: '该申请已经提交，办件编号 {caseNumber}',
    en: 'This application was already submitted as {caseNumber}',
  },
  WORKFLOW_NOT_A_DRAFT: { status: 409, zh: '只有草稿可以修改或删除', en: 'Only a draft can be changed or deleted' },
  WORKFLOW_STALE_DRAFT: {
    status: 409,
    zh: '草稿已在别处修改，请刷新后再保存',
    en: 'The draft was changed elsewhere; reload it before saving',
  },
  WORKFLOW_STALE_TASK: {
    status: 409,
    zh: '办件已被他人处理（当前状态：{state}），请刷新',
    en: 'The task changed since you loaded it (now {state}); reload it',
  },
  WORKFLOW_AWAITING_PAYMENT: {
    status: 409,
    zh: '办件待缴费，缴费完成前不能“{action}”',
    en: 'The task is awaiting payment: it cannot be handled ({action}) until the fee is paid',
  },
  WORKFLOW_INVALID_TRANSITION: {
    status: 409,
    zh: '当前状态“{state}”下不能执行“{action}”',
    en: 'Cannot {action} a task that is {state}',
  },
  WORKFLOW_ROLE_REQUIRED: {
    status: 403,
    zh: '执行“{action}”需要以下角色之一：{roles}',
    en: 'To {action} you need one of the roles: {roles}',
  },
  WORKFLOW_TASK_ASSIGNED_TO_OTHER: {
    status: 409,
    zh: '该办件已由其他工作人员认领',
    en: 'Another officer has claimed this task',
  },
  WORKFLOW_REASON_REQUIRED: { status: 422, zh: '请说明理由', en: 'A reason is required' },
  WORKFLOW_MATERIALS_PENDING: {
    status: 409,
    zh: '容缺材料尚未补齐：{materials}',
    en: 'Materials to follow have not arrived yet: {materials}',
  },
  WORKFLOW_CORRECTION_INVALID: { status: 422, zh: '补正要求不合法', en: 'The correction request is not valid' },
  WORKFLOW_CORRECTION_NOT_REQUESTED: {
    status: 422,
    zh: '只能修改要求补正的内容',
    en: 'Only the fields and materials asked for may be changed',
  },
  WORKFLOW_NOT_AWAITING_CORRECTION: {
    status: 409,
    zh: '该办件没有待补正的内容',
    en: 'This task is not awaiting a correction',
  },
  WORKFLOW_ASSIGNEE_INVALID: { status: 422, zh: '指派对象不合法', en: 'The assignee is not valid' },
  WORKFLOW_WITHDRAW_DECIDED: {
    status: 409,
    zh: '已有部门作出决定（{matterCode}），不能撤回申请',
    en: 'A department has already decided ({matterCode}); the application can no longer be withdrawn',
  },
  WORKFLOW_ALREADY_WITHDRAWN: { status: 409, zh: '该申请已撤回', en: 'This application has already been withdrawn' },
  WORKFLOW_NOT_WITHDRAWABLE: {
    status: 409,
    zh: '当前状态“{status}”下不能撤回申请',
    en: 'An application that is {status} cannot be withdrawn',
  },
  WORKFLOW_APPLICANT_UNKNOWN: {
    status: 422,
    zh: '没有这样的申请人账户（或账户类型、状态不符）',
    en: 'There is no such applicant account (or it is of another kind, or not active)',
  },
  WORKFLOW_UNKNOWN_SUBJECT: {
    status: 422,
    zh: '事项或一件事 {code} 不存在或未发布',
    en: 'Matter or bundle {code} does not exist or is not published',
  },
  // 查看明文 of a form answer (issue 12)
  WORKFLOW_REVEAL_INVALID: {
    status: 422,
    zh: '没有可查看明文的字段 {field}',
    en: 'There is no masked answer {field} to reveal',
  },
  WORKFLOW_REVEAL_LIMIT: {
    status: 429,
    zh: '每小时最多查看 {limit} 次明文，请稍后再试',
    en: 'At most {limit} reveals an hour; try again later',
  },
  // Uploaded materials (issue 12)
  WORKFLOW_DOCUMENT_NOT_FOUND: { status: 404, zh: '材料文件 {id} 不存在', en: 'Document {id} does not exist' },
  WORKFLOW_DOCUMENT_TYPE_UNSUPPORTED: {
    status: 415,
    zh: '只能上传 PDF、JPEG 或 PNG 文件',
    en: 'Only PDF, JPEG or PNG files can be uploaded',
  },
  WORKFLOW_DOCUMENT_TYPE_MISMATCH: {
    status: 422,
    zh: '文件内容不是所声明的 {mediaType} 格式',
    en: 'The file is not the {mediaType} it is declared as',
  },
  WORKFLOW_DOCUMENT_EMPTY: { status: 422, zh: '文件是空的', en: 'The file is empty' },
  WORKFLOW_DOCUMENT_TOO_LARGE: {
    status: 413,
    zh: '文件过大（上限 {limit} 字节）',
    en: 'The file is too large (limit {limit} bytes)',
  },
  WORKFLOW_DOCUMENT_NAME_INVALID: {
    status: 400,
    zh: '文件名不是有效的 UTF-8 百分号编码',
    en: 'The file name is not valid percent-encoded UTF-8',
  },
  WORKFLOW_DOCUMENT_QUOTA_EXCEEDED: {
    status: 422,
    zh: '未提交的上传文件已达 {limit} 个，请先提交申请或删除不用的文件',
    en: 'You have {limit} uploads not yet in a submitted application; submit or remove some first',
  },
  WORKFLOW_DOCUMENT_IN_USE: {
    status: 409,
    zh: '该文件已用于已提交的申请，不能删除',
    en: 'This document is part of a submitted application and cannot be removed',
  },
});

/** Raise workflow's errors through this: a code outside WorkflowErrors and the kernel's does not compile. */
export const WorkflowError = moduleErrors(WorkflowErrors);
