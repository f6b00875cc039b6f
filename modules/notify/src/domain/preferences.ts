// A person's preferences (消息设置) and the rules that follow from them: which channels a notice
// goes to, when an SMS or e-mail may leave (quiet hours, China Standard Time), and the rate limit
// per recipient. Pure: no I/O, times given.
import { NOTICE_GROUPS, type NoticeGroup, type NoticeKind } from '@tongban/contracts';

export type OptionalChannel = 'sms' | 'email';
export type ChannelsByGroup = Record<NoticeGroup, OptionalChannel[]>;

export interface Preferences {
  readonly channels: ChannelsByGroup;
  readonly quietHours: { readonly start: string; readonly end: string } | null;
  readonly language: 'zh-CN' | 'en';
  readonly email: string | null;
}

export const GROUPS = Object.keys(NOTICE_GROUPS) as NoticeGroup[];

/** Nobody chose yet: every group by SMS (sent once a mobile is known), no quiet hours, Chinese. */
export function defaultPreferences(language: 'zh-CN' | 'en' = 'zh-CN'): Preferences {
  return {
    channels: { progress: ['sms'], payments: ['sms'], licences: ['sms'], security: ['sms'] },
    quietHours: null,
    language,
    email: null,
  };
}

export function groupOf(kind: NoticeKind): NoticeGroup {
  for (const g of GROUPS) if ((NOTICE_GROUPS[g] as readonly string[]).includes(kind)) return g;
  return 'progress';
}

/** The channels besides the inbox a notice of this kind goes to; security notices always by SMS. */
export function channelsFor(p: Preferences, kind: NoticeKind, emailOn: boolean): OptionalChannel[] {
  const group = groupOf(kind);
  const chosen = new Set(p.channels[group] ?? []);
  if (group === 'security') chosen.add('sms');
  if (!emailOn || p.email === null) chosen.delete('email');
  return (['sms', 'email'] as const).filter((c) => chosen.has(c));
}

const CST_OFFSET_MS = 8 * 3600_000;
const minutesOf = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/**
 * When a message made at `now` may leave: `now`, or the end of the quiet hours it falls in
 * (China Standard Time, a window may cross midnight: 22:00–07:00). Security notices never wait.
 */
export function releaseAt(now: Date, quiet: Preferences['quietHours'], kind: NoticeKind): Date {
  if (!quiet || groupOf(kind) === 'security') return now;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return now;
  const local = new Date(now.getTime() + CST_OFFSET_MS);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return now;
  const dayStart = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - CST_OFFSET_MS;
  let release = dayStart + end * 60_000;
  if (release <= now.getTime()) release += 24 * 3600_000;
  return new Date(release);
}

/**
 * The rate limit per recipient and channel: at most `perHour` messages sent in the last hour. Past
 * it a message is held (not failed) until the oldest of those is an hour old: a notice is late,
 * never lost. Security notices are not held.
 */
export function rateLimitedUntil(
  sentInLastHour: readonly Date[],
  perHour: number,
  now: Date,
  kind: NoticeKind,
): Date | null {
  if (groupOf(kind) === 'security' || sentInLastHour.length < perHour) return null;
  const sorted = [...sentInLastHour].sort((a, b) => a.getTime() - b.getTime());
  const oldest = sorted[sorted.length - perHour]!;
  const until = new Date(oldest.getTime() + 3600_000);
  return until > now ? until : null;
}

/** Retry delay after a retryable failure of an SMS or e-mail (attempt 1 = after the first): null → give up. */
export function messageRetryDelayMs(attempt: number): number | null {
  const schedule = [30_000, 120_000, 600_000, 1_800_000];
  return attempt >= 1 && attempt <= schedule.length ? schedule[attempt - 1]! : null;
}
