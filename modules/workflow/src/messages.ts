// The applicant's notices (站内信), zh-CN first; {placeholders} come from the notice's params.
import type { Message } from '@tongban/kernel';

export const NOTICES = {
  submitted: {
    zh: '您的申请已提交，办件编号 {caseNumber}。',
    en: 'Your application has been submitted as {caseNumber}.',
  },
  counter_filed: {
    zh: '窗口工作人员已代您提交申请，办件编号 {caseNumber}，可在“我的办件”中查看。',
    en: 'A service counter filed an application for you as {caseNumber}; see it under My applications.',
  },
  correction_requested: {
    zh: '办件 {caseNumber} 的“{matterZh}”需要补正：{reason}',
    en: '{caseNumber}, {matterEn}: a correction is needed: {reason}',
  },
  materials_to_follow: {
    zh: '办件 {caseNumber} 的“{matterZh}”已容缺受理，请尽快补交：{materials}',
    en: '{caseNumber}, {matterEn} was accepted with materials to follow; please send: {materials}',
  },
  approved: { zh: '办件 {caseNumber} 的“{matterZh}”已办结（准予）。', en: '{caseNumber}, {matterEn}: approved.' },
  rejected: {
    zh: '办件 {caseNumber} 的“{matterZh}”不予办理：{reason}',
    en: '{caseNumber}, {matterEn}: refused: {reason}',
  },
  withdrawn: {
    zh: '您已撤回办件 {caseNumber}，各部门不再办理。',
    en: 'You withdrew {caseNumber}; the departments will not handle it further.',
  },
  completed: { zh: '办件 {caseNumber} 已全部办结。', en: 'Every part of {caseNumber} is done.' },
  closed: {
    zh: '办件 {caseNumber} 已办结，部分事项未获准予，详见办理进度。',
    en: '{caseNumber} is finished; some parts were not granted (see its timeline).',
  },
} as const satisfies Record<string, Message>;
export type NoticeKind = keyof typeof NOTICES;
