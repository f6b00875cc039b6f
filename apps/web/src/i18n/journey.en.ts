import type { journeyZh } from './journey.zh-CN.ts';

// The journey's messages in English, typed against zh-CN: a missing or extra key fails to compile.
export const journeyEn = {
  'journey.title': 'Apply online',
} satisfies Record<keyof typeof journeyZh, string>;
