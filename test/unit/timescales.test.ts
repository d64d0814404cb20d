import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dueAt, instantOf } from '../../src/platform/calendar/timescales.ts';
import { wallClock } from '../../src/platform/time.ts';
import { practicePack } from '../../src/practice/pack.ts';

const nsw = practicePack('nsw');
const SYDNEY = 'Australia/Sydney';
const due = (from: string, amount: number, unit: 'hours' | 'days' | 'working-days') => dueAt(new Date(from), { amount, unit }, nsw.workingDays, SYDNEY);
const shown = (at: Date) => {
  const { date, time } = wallClock(at, SYDNEY);
  return `${date} ${time.slice(0, 5)}`;
};

describe('response due times in Sydney', () => {
  it('counts hours as elapsed time across the night the clocks go forward (4 October 2026)', () => {
    // Saturday 3 October, 2:30am AEST; 24 real hours later the clocks show 3:30am AEDT.
    const at = due('2026-10-02T16:30:00Z', 24, 'hours');
    assert.equal(at.toISOString(), '2026-10-03T16:30:00.000Z');
    assert.equal(shown(at), '2026-10-04 03:30');
  });

  it('counts hours as elapsed time across the night the clocks go back (Easter Sunday, 5 April 2026)', () => {
    const at = due('2026-04-04T01:00:00Z', 72, 'hours'); // Saturday 4 April, noon AEDT
    assert.equal(shown(at), '2026-04-07 11:00', 'noon summer time plus 72 hours is 11am standard time');
  });

  it('keeps the wall-clock time for calendar days, and takes a skipped time an hour later', () => {
    assert.equal(shown(due('2026-04-04T01:00:00Z', 1, 'days')), '2026-04-05 12:00');
    assert.equal(due('2026-04-04T01:00:00Z', 1, 'days').getTime() - Date.parse('2026-04-04T01:00:00Z'), 25 * 3_600_000);
    // 2:30am on 4 October 2026 does not exist in Sydney.
    assert.equal(shown(due('2026-10-02T16:30:00Z', 1, 'days')), '2026-10-04 03:30');
    assert.equal(shown(due('2026-11-27T02:00:00Z', 10, 'days')), '2026-12-07 13:00');
  });

  it('keeps the wall-clock time for working days, stepping over Easter and Christmas', () => {
    assert.equal(shown(due('2026-04-01T23:00:00Z', 1, 'working-days')), '2026-04-07 10:00', 'Thursday 10am before Easter: Tuesday 10am');
    assert.equal(shown(due('2027-12-23T23:30:00Z', 1, 'working-days')), '2027-12-29 10:30', 'Christmas and Boxing Day 2027 on the weekend');
  });

  it('reads a time shown twice as the first of the two', () => {
    assert.equal(instantOf('2026-04-05', '02:30:00.000', SYDNEY).toISOString(), '2026-04-04T15:30:00.000Z');
    assert.equal(instantOf('2026-07-01', '09:00:00.000', SYDNEY).toISOString(), '2026-06-30T23:00:00.000Z');
  });
});
