import type { workbenchZh } from './workbench.zh-CN.ts';

// The workbench's messages in English, typed against zh-CN: a missing or extra key fails to compile.
export const workbenchEn = {
  'workbench.title': 'Workbench',
} satisfies Record<keyof typeof workbenchZh, string>;
