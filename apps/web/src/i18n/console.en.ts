import type { consoleZh } from './console.zh-CN.ts';

// The console's messages in English, typed against zh-CN: a missing or extra key fails to compile.
export const consoleEn = {
  'console.title': 'Operator console',
} satisfies Record<keyof typeof consoleZh, string>;
