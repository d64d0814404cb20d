import { wallClock } from '../time.ts';
import { addDays } from './civil-date.ts';
import type { WorkingDays } from './working-days.ts';

/**
 * How long something may take, as a practice pack states it:
 * - `hours`: elapsed time. "Within 24 hours" of a report at 1:30am on the night the clocks go
 *   forward is 24 real hours later, which the wall clock shows as 2:30am.
 * - `days`: calendar days, due at the same time of day on the wall clock of the pack's zone.
 * - `working-days`: working days of the pack's calendar, due at the same time of day.
 */
export interface Timescale {
  readonly amount: number;
  readonly unit: 'hours' | 'days' | 'working-days';
}

/** When something received at `from` is due, under a timescale, in the pack's time zone. */
export function dueAt(from: Date, timescale: Timescale, workingDays: WorkingDays, timeZone: string): Date {
  if (timescale.unit === 'hours') return new Date(from.getTime() + timescale.amount * 3_600_000);
  const local = wallClock(from, timeZone);
  const date = timescale.unit === 'days' ? addDays(local.date, timescale.amount) : workingDays.add(local.date, timescale.amount);
  return instantOf(date, local.time, timeZone);
}

/** The zone's offset from UTC at that moment, in milliseconds (Sydney: +10 h, or +11 h in summer). */
function offsetAt(at: Date, timeZone: string): number {
  const { date, time } = wallClock(at, timeZone);
  return Date.parse(`${date}T${time}Z`) - at.getTime();
}

/**
 * The moment a wall clock in the zone shows that date and time. A time the clocks skip (2:30am when
 * they go forward) is taken an hour later, as a clock moved forward would show it; a time shown
 * twice (when they go back) is the first of the two.
 */
export function instantOf(date: string, time: string, timeZone: string): Date {
  const asUtc = Date.parse(`${date}T${time}Z`);
  const firstGuess = asUtc - offsetAt(new Date(asUtc), timeZone);
  // Both offsets that can apply near that moment; the earlier instant that shows the wanted time wins.
  const offsets = new Set([offsetAt(new Date(firstGuess - 3_600_000 * 3), timeZone), offsetAt(new Date(firstGuess), timeZone), offsetAt(new Date(firstGuess + 3_600_000 * 3), timeZone)]);
  const shows = [...offsets].map((offset) => asUtc - offset).filter((candidate) => {
    const shown = wallClock(new Date(candidate), timeZone);
    return shown.date === date && shown.time === time;
  });
  if (shows.length > 0) return new Date(Math.min(...shows));
  // Skipped: the clock jumped over it. Take the same elapsed time after the jump as the wall time was after it.
  return new Date(asUtc - Math.min(...offsets));
}
