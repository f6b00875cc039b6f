// The workbench's due-date badge counts working days on the region's calendar (src/workbench/days.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWorkingDay, serviceToday, workingDaysLeft } from '../src/workbench/days.ts';

// 2026: 10月1日–7日 National Day holidays, 10月10日 (Saturday) a make-up working day.
const calendar = {
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-10-10'],
};

test('weekends and holidays are not working days; a make-up Saturday is', () => {
  assert.equal(isWorkingDay('2026-12-01', calendar), true); // Tuesday
  assert.equal(isWorkingDay('2026-12-05', calendar), false); // Saturday
  assert.equal(isWorkingDay('2026-10-05', calendar), false); // Monday, a holiday
  assert.equal(isWorkingDay('2026-10-10', calendar), true); // Saturday, worked
});

test('working days left: 0 on the due day, counting only working days, negative once overdue', () => {
  assert.equal(workingDaysLeft('2026-12-03', '2026-12-03', calendar), 0);
  assert.equal(workingDaysLeft('2026-12-03', '2026-12-04', calendar), 1); // Thursday → Friday
  assert.equal(workingDaysLeft('2026-12-04', '2026-12-07', calendar), 1); // Friday → Monday
  assert.equal(workingDaysLeft('2026-09-30', '2026-10-08', calendar), 1); // across the holidays
  assert.equal(workingDaysLeft('2026-09-30', '2026-10-10', calendar), 3); // the 8th, 9th and the make-up 10th
  assert.equal(workingDaysLeft('2026-12-04', '2026-12-03', calendar), -1); // a day late
  assert.equal(workingDaysLeft('2026-12-07', '2026-12-03', calendar), -2); // Friday and Monday late
  assert.equal(workingDaysLeft('2026-12-05', '2026-12-04', calendar), -1); // late on a Saturday is late
});

test("today is China Standard Time's date", () => {
  assert.equal(serviceToday(new Date('2026-12-03T16:30:00Z')), '2026-12-04');
  assert.equal(serviceToday(new Date('2026-12-03T15:59:00Z')), '2026-12-03');
});
