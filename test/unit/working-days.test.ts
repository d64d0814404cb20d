import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { easterSunday, weekdayOf, nthWeekdayOfMonth, parseCivilDate } from '../../src/platform/calendar/civil-date.ts';
import { holidaysInYear, WorkingDays, CalendarRangeError, type WorkingDayCalendar } from '../../src/platform/calendar/working-days.ts';
import { practicePack } from '../../src/practice/pack.ts';

const nsw = practicePack('nsw');
const holidays = (year: number) => Object.fromEntries(holidaysInYear(nsw.calendar, year));

describe('calendar dates', () => {
  it('finds Easter Sunday for any year, the earliest and latest possible included', () => {
    const known = { 1943: '1943-04-25', 2008: '2008-03-23', 2019: '2019-04-21', 2024: '2024-03-31', 2025: '2025-04-20', 2026: '2026-04-05', 2027: '2027-03-28', 2038: '2038-04-25', 2100: '2100-03-28' };
    for (const [year, sunday] of Object.entries(known)) {
      assert.equal(easterSunday(Number(year)), sunday, `Easter ${year}`);
      assert.equal(weekdayOf(sunday), 'sunday');
    }
  });

  it('knows real dates from impossible ones, leap years included', () => {
    assert.deepEqual(parseCivilDate('2028-02-29'), { year: 2028, month: 2, day: 29 });
    for (const bad of ['2026-02-29', '2100-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '1066-10-14', '2201-01-01', '26-1-1', '2026-01-01T00:00', ' 2026-01-01']) {
      assert.equal(parseCivilDate(bad), null, bad);
    }
  });

  it('finds the nth and the last weekday of a month', () => {
    assert.equal(nthWeekdayOfMonth(2026, 6, 'monday', 2), '2026-06-08');
    assert.equal(nthWeekdayOfMonth(2026, 5, 'monday', -1), '2026-05-25');
    assert.equal(nthWeekdayOfMonth(2026, 2, 'monday', 5), null, 'February 2026 has four Mondays');
  });
});

describe('NSW public holidays', () => {
  it('moves Christmas and Boxing Day off a weekend to the next free weekdays (2021: Saturday and Sunday)', () => {
    const y = holidays(2021);
    assert.equal(y['2021-12-27'], 'Christmas Day (additional day)');
    assert.equal(y['2021-12-28'], 'Boxing Day (additional day)');
  });

  it('gives Tuesday for Christmas on a Sunday, Boxing Day keeping the Monday (2022)', () => {
    const y = holidays(2022);
    assert.equal(y['2022-12-26'], 'Boxing Day');
    assert.equal(y['2022-12-27'], 'Christmas Day (additional day)');
    assert.equal(y['2022-01-03'], "New Year's Day (additional day)", 'New Year on a Saturday gives the Monday');
    assert.equal(y['2022-09-22'], 'National Day of Mourning for Queen Elizabeth II', 'a one-off from the overrides');
    assert.equal(y['2022-06-13'], "Queen's Birthday");
  });

  it('gives Monday 28th for Boxing Day on a Saturday (2026), and nothing for Anzac Day on a weekend', () => {
    const y = holidays(2026);
    assert.equal(y['2026-12-28'], 'Boxing Day (additional day)');
    assert.equal(y['2026-04-27'], undefined, 'Anzac Day 2026 is a Saturday: NSW adds no weekday');
    assert.deepEqual(
      Object.entries(y).filter(([d]) => d.startsWith('2026-04')),
      [['2026-04-03', 'Good Friday'], ['2026-04-04', 'Easter Saturday'], ['2026-04-05', 'Easter Sunday'], ['2026-04-06', 'Easter Monday'], ['2026-04-25', 'Anzac Day']],
    );
  });

  it("names the King's Birthday from 2023 and moves Australia Day off a Sunday (2025)", () => {
    assert.equal(holidays(2023)['2023-06-12'], "King's Birthday");
    assert.equal(holidays(2025)['2025-01-27'], 'Australia Day', 'on the Monday instead');
    assert.equal(holidays(2025)['2025-01-26'], undefined, 'not on the Sunday');
    assert.equal(holidays(2026)['2026-01-26'], 'Australia Day', 'a Monday anyway');
    assert.equal(holidays(2025)['2025-10-06'], 'Labour Day');
  });

  it('can take a day away by override', () => {
    const calendar: WorkingDayCalendar = { ...nsw.calendar, overrides: [{ date: '2026-10-05', change: 'remove', name: 'Labour Day moved (a test)' }] };
    assert.equal(holidaysInYear(calendar, 2026).has('2026-10-05'), false);
    assert.equal(new WorkingDays(calendar).isWorkingDay('2026-10-05'), true);
  });
});

describe('adding working days (NSW)', () => {
  const add = (date: string, n: number) => nsw.workingDays.add(date, n);

  it('steps over Easter: from the Thursday before, one working day is the Tuesday after', () => {
    assert.equal(add('2025-04-17', 1), '2025-04-22');
    assert.equal(add('2026-04-02', 3), '2026-04-09');
  });

  it('steps over Christmas, Boxing Day and their additional days, and over the year end', () => {
    assert.equal(add('2021-12-24', 1), '2021-12-29');
    assert.equal(add('2026-12-24', 1), '2026-12-29');
    assert.equal(add('2026-12-31', 1), '2027-01-04', 'New Year 2027 is a Friday');
    assert.equal(add('2027-12-23', 3), '2027-12-30', 'Friday 24th, then Wednesday 29th and Thursday 30th');
  });

  it('counts from the day after: a Saturday plus one is the Monday; zero is the day itself', () => {
    assert.equal(add('2026-11-28', 1), '2026-11-30');
    assert.equal(add('2026-11-28', 0), '2026-11-28');
    assert.equal(add('2028-02-28', 1), '2028-02-29');
    assert.equal(add('2026-11-27', 10), '2026-12-11');
  });

  it('agrees with counting the working days between two dates', () => {
    for (const [start, n] of [['2025-04-10', 9], ['2021-12-20', 12], ['2026-09-20', 30]] as const) {
      assert.equal(nsw.workingDays.between(start, add(start, n)), n);
    }
  });

  it('refuses a count that is negative, fractional or beyond any timescale, and dates past the calendar', () => {
    for (const bad of [-1, 1.5, 10_001, Number.NaN]) assert.throws(() => add('2026-01-01', bad), CalendarRangeError);
    assert.throws(() => add('2200-12-20', 20), /past the end of 2200/);
  });
});
