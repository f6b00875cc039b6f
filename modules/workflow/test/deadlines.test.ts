import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkingCalendar } from '@tongban/kernel';
import fc from 'fast-check';
import { deadlineStatus, pauseClock, resumeClock, serviceDate, startClock } from '../src/domain/deadlines.ts';

// 2026 National Day: 1–7 October off, 10 October (Saturday) a make-up working day.
const calendar = new WorkingCalendar({
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-10-10'],
});

test('days are counted in China Standard Time whatever the server zone', () => {
  assert.equal(serviceDate(new Date('2026-11-30T16:30:00Z')), '2026-12-01');
  assert.equal(serviceDate(new Date('2026-12-01T15:59:59Z')), '2026-12-01');
});

test('a promise counts from the day after the start, skipping holidays; the warning comes a working day before', () => {
  assert.deepEqual(startClock(calendar, '2026-09-30', 2), { dueOn: '2026-10-09', warnOn: '2026-10-08' });
  assert.deepEqual(
    startClock(calendar, '2026-10-09', 1),
    { dueOn: '2026-10-10', warnOn: '2026-10-09' },
    'the make-up Saturday counts',
  );
  assert.deepEqual(startClock(calendar, '2026-12-01', 0), { dueOn: '2026-12-01', warnOn: '2026-12-01' });
});

test('deadline status: on time, due soon from the warning day, overdue after the due day', () => {
  const clock = { dueOn: '2026-12-03', warnOn: '2026-12-02' };
  assert.equal(deadlineStatus('2026-12-01', clock), 'on_time');
  assert.equal(deadlineStatus('2026-12-02', clock), 'due_soon');
  assert.equal(deadlineStatus('2026-12-03', clock), 'due_soon');
  assert.equal(deadlineStatus('2026-12-04', clock), 'overdue');
  assert.equal(deadlineStatus('2026-12-04', { dueOn: null, warnOn: null }), undefined);
});

const day = fc
  .integer({ min: 0, max: 500 })
  .map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));

test('a correction takes none of the working days: the applicant’s time is added back in full', () => {
  fc.assert(
    fc.property(
      day,
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 0, max: 15 }),
      fc.integer({ min: 0, max: 60 }),
      (start, promised, pausedAfter, pausedFor) => {
        const { dueOn } = startClock(calendar, start, promised);
        const pausedOn = calendar.addWorkingDays(start, Math.min(pausedAfter, promised));
        const left = pauseClock(calendar, pausedOn, dueOn);
        const resumedOn = new Date(Date.parse(pausedOn) + pausedFor * 86_400_000).toISOString().slice(0, 10);
        const resumed = resumeClock(calendar, resumedOn, left);
        // The working days used before the pause plus those after the resumption are the promise.
        assert.equal(
          calendar.workingDaysBetween(start, pausedOn) + calendar.workingDaysBetween(resumedOn, resumed.dueOn),
          promised,
        );
      },
    ),
  );
});

test('a clock paused when already overdue resumes with nothing left', () => {
  assert.equal(pauseClock(calendar, '2026-12-10', '2026-12-03'), 0);
});
