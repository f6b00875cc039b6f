// One attack per rule, on working days of December 2026 (Beijing time), each with a little benign
// traffic of the same kind beside it that must not fire: the typo, the code typed wrong, the export
// of exactly 50, the new officer, the change made in office hours.
import type { Signal } from '../../src/domain/signals.ts';
import { beijing, finish, seeded, type Draft } from './builder.ts';

const MON = 7;
const TUE = 8;
const SAT = 12;
const at = (day: number, hour: number, minute = 0, second = 0) => beijing(2026, 12, day, hour, minute, second);
const S = 1000;

function bruteForce(): Draft[] {
  const out: Draft[] = [];
  // 12 wrong passwords for one account in 84 s from one address: fires at the 8th, once.
  for (let i = 0; i < 12; i++)
    out.push({
      t: at(TUE, 9, 0, i * 7),
      type: 'sign-in.failed',
      ip: '198.51.100.23',
      accountId: 'c-victim',
      factor: 'password',
      detail: 'bad_password',
    });
  // Wrong one-time codes count apart from passwords: 7 from another address, and no password failures there.
  for (let i = 0; i < 7; i++)
    out.push({
      t: at(TUE, 9, 1, i * 5),
      type: 'sign-in.failed',
      ip: '198.51.100.99',
      accountId: 'c-4242',
      factor: 'code',
      detail: 'bad_code',
    });
  // A person mistyping five times over two minutes, then getting it right.
  for (let i = 0; i < 5; i++)
    out.push({
      t: at(TUE, 9, 3, i * 25),
      type: 'sign-in.failed',
      ip: '203.0.113.50',
      accountId: 'c-3131',
      factor: 'password',
      detail: 'bad_password',
    });
  out.push({
    t: at(TUE, 9, 5),
    type: 'sign-in.succeeded',
    ip: '203.0.113.50',
    accountId: 'c-3131',
    sessionId: 's-3131',
    factor: 'password',
  });
  return out;
}

function credentialStuffing(): Draft[] {
  const out: Draft[] = [];
  const r = seeded(2);
  // 40 attempts over 14 minutes, one every 21 s (too slow for brute force), against 30 logins.
  for (let i = 0; i < 40; i++) {
    const victim = i % 30;
    const known = victim % 3 !== 0;
    out.push({
      t: at(TUE, 2, 10, 0) + i * 21 * S,
      type: 'sign-in.failed',
      ip: '192.0.2.77',
      factor: 'password',
      detail: known ? 'bad_password' : 'unknown_login',
      ...(known ? { accountId: `c-${5000 + victim}` } : { login: `1380013${String(1000 + victim * 7 + r.int(0, 6))}` }),
    });
  }
  return out;
}

function impossibleTravel(): Draft[] {
  return [
    // Beijing, then Shenzhen 18 minutes later: fires, and the Shenzhen session must step up.
    {
      t: at(TUE, 9, 0),
      type: 'sign-in.succeeded',
      ip: '203.0.113.40',
      accountId: 'c-1001',
      sessionId: 's-1001-a',
      factor: 'password',
    },
    {
      t: at(TUE, 9, 18),
      type: 'sign-in.succeeded',
      ip: '198.51.100.40',
      accountId: 'c-1001',
      sessionId: 's-1001-b',
      factor: 'password',
    },
    // Beijing, an address in no range (never travel), then Hangzhou an hour later (a train ride).
    {
      t: at(TUE, 10, 0),
      type: 'sign-in.succeeded',
      ip: '203.0.113.41',
      accountId: 'c-1002',
      sessionId: 's-1002-a',
      factor: 'password',
    },
    {
      t: at(TUE, 10, 10),
      type: 'sign-in.succeeded',
      ip: '10.20.30.40',
      accountId: 'c-1002',
      sessionId: 's-1002-b',
      factor: 'password',
    },
    {
      t: at(TUE, 11, 1),
      type: 'sign-in.succeeded',
      ip: '192.0.2.41',
      accountId: 'c-1002',
      sessionId: 's-1002-c',
      factor: 'password',
    },
    // Two Beijing addresses, home and mobile: one region.
    {
      t: at(TUE, 11, 0),
      type: 'sign-in.succeeded',
      ip: '203.0.113.42',
      accountId: 'c-1004',
      sessionId: 's-1004-a',
      factor: 'password',
    },
    {
      t: at(TUE, 11, 5),
      type: 'sign-in.succeeded',
      ip: '2001:db8:10::42',
      accountId: 'c-1004',
      sessionId: 's-1004-b',
      factor: 'passkey',
    },
    // IPv6: Beijing, then Hangzhou 20 minutes later.
    {
      t: at(TUE, 12, 0),
      type: 'sign-in.succeeded',
      ip: '2001:db8:10::5',
      accountId: 'c-1003',
      sessionId: 's-1003-a',
      factor: 'passkey',
    },
    {
      t: at(TUE, 12, 20),
      type: 'sign-in.succeeded',
      ip: '2001:db8:33::9',
      accountId: 'c-1003',
      sessionId: 's-1003-b',
      factor: 'passkey',
    },
  ];
}

function massExport(): Draft[] {
  const out: Draft[] = [];
  const officer = {
    actorId: 'o-77',
    actorKind: 'officer',
    sessionId: 's-o77',
    ip: '203.0.113.200',
    departmentCode: 'gongan',
  };
  // 12 reads of 5 records, 5 s apart: 55 records by the 11th, within a minute.
  for (let i = 0; i < 12; i++)
    out.push({ t: at(TUE, 15, 0, i * 5), type: 'data.read', count: 5, detail: 'person.search', ...officer });
  // Exactly 50 records in one export (not more than 50), and a read a minute later.
  const other = {
    actorId: 'o-78',
    actorKind: 'officer',
    sessionId: 's-o78',
    ip: '203.0.113.201',
    departmentCode: 'minzheng',
  };
  out.push({ t: at(TUE, 15, 10), type: 'data.exported', count: 50, detail: 'report', ...other });
  out.push({ t: at(TUE, 15, 11, 1), type: 'data.read', count: 3, ...other });
  return out;
}

function privilegedOffHours(): Draft[] {
  return [
    // Office hours: quiet.
    {
      t: at(TUE, 10, 0),
      type: 'grant.changed',
      actorId: 'op-4',
      actorKind: 'operator',
      sessionId: 's-op4',
      ip: '203.0.113.220',
    },
    // Tuesday 23:10 and again at 23:20: one alert.
    {
      t: at(TUE, 23, 10),
      type: 'roles.changed',
      actorId: 'op-3',
      actorKind: 'operator',
      sessionId: 's-op3',
      ip: '203.0.113.221',
      accountId: 'o-12',
    },
    {
      t: at(TUE, 23, 20),
      type: 'grant.changed',
      actorId: 'op-3',
      actorKind: 'operator',
      sessionId: 's-op3',
      ip: '203.0.113.221',
    },
    // An officer is not a privileged principal.
    {
      t: at(TUE, 23, 30),
      type: 'roles.changed',
      actorId: 'o-5',
      actorKind: 'officer',
      sessionId: 's-o5',
      ip: '203.0.113.222',
    },
    // A security operator on a Saturday morning.
    {
      t: at(SAT, 10, 0),
      type: 'privileged.action',
      actorId: 'sec-1',
      actorKind: 'security',
      sessionId: 's-sec1',
      ip: '203.0.113.223',
      detail: 'responses.lift',
    },
  ];
}

function probing(): Draft[] {
  const out: Draft[] = [];
  // One address, one citizen: 30 denials in 4 minutes — one finding (the address).
  for (let i = 0; i < 30; i++)
    out.push({
      t: at(TUE, 14, 0, i * 8),
      type: 'access.denied',
      ip: '192.0.2.66',
      actorId: 'c-666',
      actorKind: 'citizen',
      sessionId: 's-666',
      detail: 'not_owner',
    });
  // One citizen from a different address each time: by the actor.
  for (let i = 0; i < 25; i++)
    out.push({
      t: at(TUE, 14, 30, i * 9),
      type: 'access.denied',
      ip: `198.51.100.${100 + i}`,
      actorId: 'c-667',
      actorKind: 'citizen',
      sessionId: `s-667-${i}`,
      detail: 'not_owner',
    });
  // A few honest denials elsewhere.
  for (let i = 0; i < 3; i++)
    out.push({
      t: at(TUE, 14, 10 + i),
      type: 'access.denied',
      ip: '203.0.113.77',
      actorId: 'c-777',
      actorKind: 'citizen',
      detail: 'session_expired',
    });
  return out;
}

function refreshTokenReuse(): Draft[] {
  return [
    {
      t: at(TUE, 14, 0),
      type: 'refresh-token.reused',
      ip: '198.51.100.5',
      accountId: 'c-2001',
      detail: 'tongban-portal',
    },
    {
      t: at(TUE, 14, 2),
      type: 'refresh-token.reused',
      ip: '198.51.100.5',
      accountId: 'c-2001',
      detail: 'tongban-portal',
    },
  ];
}

function revealRate(): Draft[] {
  const out: Draft[] = [];
  const officer = { actorId: 'o-9', actorKind: 'officer', ip: '203.0.113.150', departmentCode: 'gongan' };
  // Monday 09:00–18:00 and Tuesday 09:00–10:00: three reveals an hour.
  for (let h = 9; h < 18; h++)
    for (const m of [7, 26, 48])
      out.push({ t: at(MON, h, m), type: 'data.revealed', sessionId: 's-o9-mon', ...officer });
  for (const m of [7, 26, 48]) out.push({ t: at(TUE, 9, m), type: 'data.revealed', sessionId: 's-o9-tue', ...officer });
  // Tuesday 10:05–10:44: one a minute, 40 in all.
  for (let i = 0; i < 40; i++)
    out.push({ t: at(TUE, 10, 5 + i), type: 'data.revealed', sessionId: 's-o9-tue', ...officer });
  // A new officer's busy first morning: no history, no verdict (mass export watches bulk reads).
  for (let i = 0; i < 20; i++)
    out.push({
      t: at(TUE, 10, 0, i * 90),
      type: 'data.revealed',
      actorId: 'o-10',
      actorKind: 'officer',
      sessionId: 's-o10',
      ip: '203.0.113.151',
    });
  return out;
}

function witnessRefused(): Draft[] {
  return [
    {
      t: at(TUE, 3, 0),
      type: 'witness.refused',
      actorId: 'witness-hangzhou',
      actorKind: 'service',
      detail: 'inconsistent',
    },
  ];
}

function callbackRefused(): Draft[] {
  return [{ t: at(TUE, 16, 0), type: 'callback.refused', ip: '192.0.2.200', detail: 'bad_signature' }];
}

/** Each rule's attack, by rule id. */
export function attacks(): Record<string, Signal[]> {
  const made: Record<string, () => Draft[]> = {
    'brute-force': bruteForce,
    'credential-stuffing': credentialStuffing,
    'impossible-travel': impossibleTravel,
    'mass-export': massExport,
    'privileged-off-hours': privilegedOffHours,
    probing,
    'refresh-token-reuse': refreshTokenReuse,
    'reveal-rate': revealRate,
    'witness-refused': witnessRefused,
    'callback-refused': callbackRefused,
  };
  return Object.fromEntries(Object.entries(made).map(([rule, make]) => [rule, finish(rule, make())]));
}
