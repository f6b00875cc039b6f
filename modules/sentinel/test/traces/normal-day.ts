// A working Monday of a city's traffic, Beijing time, 7 December 2026: citizens signing in through
// the day (typos, a forgotten password, a mistyped one-time code, a phone and a home line, a trip
// to Shenzhen by plane), a service hall's shared Wi-Fi address, officers reading and revealing at
// their ordinary rates in office hours with a lunch break and a daily report, a few denials, the
// operators' changes in office hours. Nothing in it is an attack: every rule must stay quiet.
import type { Signal } from '../../src/domain/signals.ts';
import { beijing, finish, seeded, type Draft, type Random } from './builder.ts';

const SEED = 20261207;
const DAY = 7;
const S = 1000;
const MIN = 60 * S;
const at = (hour: number, minute = 0, second = 0) => beijing(2026, 12, DAY, hour, minute, second);

interface Citizen {
  readonly id: string;
  readonly home: string;
  readonly mobile: string;
  readonly usesCode: boolean;
}

/** Home lines mostly in Beijing, some in the other two cities of the table, some in no range (carrier pools). */
function homeAddress(r: Random, n: number): string {
  const p = r.next();
  if (p < 0.7) return `203.0.113.${1 + (n % 120)}`;
  if (p < 0.8) return `198.51.100.${1 + (n % 250)}`;
  if (p < 0.86) return `192.0.2.${1 + (n % 250)}`;
  return `100.64.${n % 256}.${1 + (n % 200)}`;
}

function mobileAddress(r: Random, home: string, n: number): string {
  // The phone is on a carrier's IPv6 in the same city, or on a pool the table does not know.
  if (home.startsWith('203.0.113.'))
    return r.chance(0.6) ? `2001:db8:10::${(n + 1).toString(16)}` : `10.${n % 256}.0.1`;
  if (home.startsWith('198.51.100.')) return `2001:db8:44::${(n + 1).toString(16)}`;
  if (home.startsWith('192.0.2.')) return `2001:db8:33::${(n + 1).toString(16)}`;
  return `10.${n % 256}.1.1`;
}

/** A time of day weighted to when people use government services: mornings, lunch, evenings. */
function citizenTime(r: Random): number {
  const bands: readonly [number, number, number][] = [
    [0, 7, 0.04],
    [7, 9, 0.1],
    [9, 12, 0.3],
    [12, 14, 0.14],
    [14, 18, 0.26],
    [18, 24, 0.16],
  ];
  let p = r.next();
  for (const [from, to, weight] of bands) {
    if (p < weight) return at(from) + Math.floor(r.next() * (to - from) * 60 * MIN);
    p -= weight;
  }
  return at(20);
}

function signIns(r: Random, citizens: readonly Citizen[], out: Draft[]) {
  let session = 0;
  for (let i = 0; i < 2600; i++) {
    const c = r.pick(citizens);
    let t = citizenTime(r);
    const ip = r.chance(0.35) ? c.mobile : c.home;
    // Typos: most get it first time, some once or twice wrong.
    const typos = r.chance(0.06) ? 1 : r.chance(0.015) ? 2 : 0;
    for (let k = 0; k < typos; k++) {
      out.push({ t, type: 'sign-in.failed', ip, accountId: c.id, factor: 'password', detail: 'bad_password' });
      t += r.int(6, 30) * S;
    }
    if (c.usesCode && r.chance(0.05)) {
      out.push({ t, type: 'sign-in.failed', ip, accountId: c.id, factor: 'code', detail: 'bad_code' });
      t += r.int(10, 40) * S;
    }
    session += 1;
    out.push({
      t,
      type: 'sign-in.succeeded',
      ip,
      accountId: c.id,
      sessionId: `s-${session}`,
      factor: c.usesCode ? 'code' : 'password',
    });
    // A second sign-in soon after from the other device: the same city.
    if (r.chance(0.04)) {
      session += 1;
      out.push({
        t: t + r.int(2, 25) * MIN,
        type: 'sign-in.succeeded',
        ip: ip === c.home ? c.mobile : c.home,
        accountId: c.id,
        sessionId: `s-${session}`,
        factor: 'password',
      });
    }
  }
  // A login typed wrong (no such account), now and then.
  for (let i = 0; i < 30; i++)
    out.push({
      t: citizenTime(r),
      type: 'sign-in.failed',
      ip: r.pick(citizens).home,
      login: `1390000${String(r.int(1000, 9999))}`,
      factor: 'password',
      detail: 'unknown_login',
    });
  // Someone who forgot the password: six tries over eight minutes, identity locks the login, a reset later.
  for (let k = 0; k < 6; k++)
    out.push({
      t: at(19, 2) + k * 80 * S,
      type: 'sign-in.failed',
      ip: '203.0.113.88',
      accountId: 'c-forgetful',
      factor: 'password',
      detail: 'bad_password',
    });
  out.push({
    t: at(19, 9, 40),
    type: 'account.locked',
    ip: '203.0.113.88',
    accountId: 'c-forgetful',
    factor: 'password',
  });
  out.push({ t: at(19, 9, 41), type: 'sign-in.throttled', ip: '203.0.113.88', factor: 'password' });
  // Flew Beijing → Shenzhen: signed in at the airport, again on landing three hours later.
  out.push({
    t: at(7, 40),
    type: 'sign-in.succeeded',
    ip: '203.0.113.99',
    accountId: 'c-traveller',
    sessionId: 's-trip-1',
    factor: 'password',
  });
  out.push({
    t: at(11, 5),
    type: 'sign-in.succeeded',
    ip: '198.51.100.99',
    accountId: 'c-traveller',
    sessionId: 's-trip-2',
    factor: 'password',
  });
}

/** The service hall's Wi-Fi: one address for everyone at the counters, 08:30–17:30 — people who live here. */
function serviceHall(r: Random, citizens: readonly Citizen[], out: Draft[]) {
  const locals = citizens.filter((c) => c.home.startsWith('203.0.113.'));
  for (let i = 0; i < 220; i++) {
    const c = r.pick(locals);
    let t = at(8, 30) + Math.floor(r.next() * 9 * 60 * MIN);
    if (r.chance(0.08)) {
      out.push({
        t,
        type: 'sign-in.failed',
        ip: '203.0.113.10',
        accountId: c.id,
        factor: 'password',
        detail: 'bad_password',
      });
      t += r.int(8, 40) * S;
    }
    out.push({
      t,
      type: 'sign-in.succeeded',
      ip: '203.0.113.10',
      accountId: c.id,
      sessionId: `s-hall-${i}`,
      factor: 'password',
    });
  }
}

/** Office hours with lunch: 08:40–12:00 and 13:30–17:50. */
const SHIFTS: readonly [number, number][] = [
  [at(8, 40), at(12, 0)],
  [at(13, 30), at(17, 50)],
];

function officers(r: Random, out: Draft[]) {
  const departments = ['gongan', 'minzheng', 'renshe', 'shichang', 'weijian', 'zhujian'];
  for (let n = 1; n <= 40; n++) {
    const id = `o-${n}`;
    const who = {
      actorId: id,
      actorKind: 'officer',
      ip: `203.0.113.${130 + n}`,
      departmentCode: departments[n % departments.length]!,
      sessionId: `s-${id}`,
    };
    out.push({
      t: at(8, 30) + r.int(0, 9) * MIN,
      type: 'sign-in.succeeded',
      ip: who.ip,
      accountId: id,
      sessionId: who.sessionId,
      factor: 'code',
    });
    for (const [from, to] of SHIFTS) {
      // Case work: a record or three looked up every few minutes.
      for (let t = from + r.int(0, 5) * MIN; t < to; t += r.int(3, 7) * MIN)
        out.push({ t, type: 'data.read', count: r.int(1, 3), detail: 'person.lookup', ...who });
      // Reveals of masked fields at the officer's own pace: 0–5 an hour.
      for (let h = from; h < to; h += 60 * MIN) {
        const k = r.int(0, 5);
        for (let j = 0; j < k; j++)
          out.push({ t: h + r.int(0, 59) * MIN + r.int(0, 59) * S, type: 'data.revealed', ...who });
      }
    }
    // The daily report of a few officers: one export of up to 30 records.
    if (n % 8 === 0)
      out.push({
        t: at(16, 30) + r.int(0, 20) * MIN,
        type: 'data.exported',
        count: r.int(10, 30),
        detail: 'daily-report',
        ...who,
      });
    // Another department's queue opened by mistake, now and then.
    if (r.chance(0.3))
      out.push({ t: at(10) + r.int(0, 300) * MIN, type: 'access.denied', detail: 'department', ...who });
  }
}

function citizensDenied(r: Random, citizens: readonly Citizen[], out: Draft[]) {
  // Expired sessions and links to someone else's application: a handful an hour.
  for (let i = 0; i < 60; i++) {
    const c = r.pick(citizens);
    out.push({
      t: citizenTime(r),
      type: 'access.denied',
      ip: c.home,
      actorId: c.id,
      actorKind: 'citizen',
      detail: r.pick(['session_expired', 'not_owner', 'assurance']),
    });
  }
}

function operators(r: Random, citizens: readonly Citizen[], out: Draft[]) {
  const times = [at(9, 15), at(10, 40), at(14, 5), at(15, 50), at(17, 20)];
  times.forEach((t, i) => {
    const actorId = `op-${1 + (i % 3)}`;
    out.push({
      t,
      type: i % 2 ? 'grant.changed' : 'roles.changed',
      actorId,
      actorKind: 'operator',
      sessionId: `s-${actorId}`,
      ip: '203.0.113.210',
      accountId: i % 2 ? undefined : `o-${i + 3}`,
    });
  });
  out.push({
    t: at(11, 0),
    type: 'privileged.action',
    actorId: 'sec-1',
    actorKind: 'security',
    sessionId: 's-sec-1',
    ip: '203.0.113.211',
    detail: 'responses.lift',
  });
  // Factors enrolled through the day.
  for (let i = 0; i < 25; i++) {
    const c = r.pick(citizens);
    out.push({ t: citizenTime(r), type: 'mfa.changed', accountId: c.id, ip: c.home, detail: 'totp.enrolled' });
  }
}

export function normalDay(): Signal[] {
  const r = seeded(SEED);
  const citizens: Citizen[] = [];
  for (let n = 0; n < 3000; n++) {
    const home = homeAddress(r, n);
    citizens.push({ id: `c-${10000 + n}`, home, mobile: mobileAddress(r, home, n), usesCode: r.chance(0.15) });
  }
  const out: Draft[] = [];
  signIns(r, citizens, out);
  serviceHall(r, citizens, out);
  officers(r, out);
  citizensDenied(r, citizens, out);
  operators(r, citizens, out);
  // Drop the undefined fields so the file has no nulls.
  const clean = out.map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as Draft);
  return finish('normal', clean);
}
