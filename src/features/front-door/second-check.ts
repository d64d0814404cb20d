import { parseCivilDate } from '../../platform/calendar/civil-date.ts';
import type { PracticePack } from '../../practice/pack.ts';

export interface ChildForCheck {
  readonly name: string;
  readonly dateOfBirth: string | null;
  readonly ageYears: number | null;
  /** Reports about this child received within the pack's window, this one included. */
  readonly reportsInWindow: number;
}

/** Whole months from a date of birth to today (a child born 27 May is 1 month old on 27 June). */
export function monthsOld(dateOfBirth: string, today: string): number {
  const born = parseCivilDate(dateOfBirth);
  const now = parseCivilDate(today);
  if (!born || !now) return Number.NaN;
  const months = (now.year - born.year) * 12 + (now.month - born.month);
  return now.day < born.day ? months - 1 : months;
}

/**
 * Why screening this report out needs a second worker's check, if it does: a very young child, or a
 * child reported again and again (cumulative harm), as the pack sets them. No reasons, no check.
 */
export function secondCheckReasons(children: readonly ChildForCheck[], thresholds: PracticePack['secondCheck'], today: string): string[] {
  const reasons: string[] = [];
  for (const child of children) {
    const months = child.dateOfBirth ? monthsOld(child.dateOfBirth, today) : child.ageYears !== null ? child.ageYears * 12 : null;
    if (months !== null && months < thresholds.childUnderMonths) {
      reasons.push(`${child.name} is under ${thresholds.childUnderMonths} months old`);
    }
    if (child.reportsInWindow >= thresholds.reportsAtLeast) {
      reasons.push(`${child.name} has been reported ${child.reportsInWindow} times in ${thresholds.reportsWithinMonths} months`);
    }
  }
  return reasons;
}
