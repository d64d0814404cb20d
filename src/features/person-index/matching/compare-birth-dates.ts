import type { BirthDate, PreparedBirthDate } from './date-of-birth.ts';
import { editDistance } from './edit-distance.ts';
import type { FieldLevel, QueryBirthDateLevel } from './model.ts';

export type BirthDateLevel = FieldLevel<'date_of_birth'> | QueryBirthDateLevel;

export interface BirthDateOutcome {
  readonly level: BirthDateLevel;
  readonly query: PreparedBirthDate | null;
  readonly candidate: BirthDate | null;
}

/** Two full dates: the slips people make writing a date, most telling first. */
export function compareBirthDates(a: BirthDate, b: BirthDate): FieldLevel<'date_of_birth'> {
  if (a.digits === b.digits) return 'exact';
  // 3/4 and 4/3: the American order, or a form filled in the wrong boxes.
  if (a.year === b.year && a.day === b.month && a.month === b.day) return 'swapped';
  if (editDistance(a.digits, b.digits, 1) <= 1) return 'typo';
  const sameYear = a.year === b.year;
  const sameMonth = a.month === b.month;
  const sameDay = a.day === b.day;
  if ((sameYear && sameMonth) || (sameYear && sameDay) || (sameMonth && sameDay)) return 'component';
  if (sameYear) return 'year';
  if (Math.abs(a.year - b.year) === 1) return 'near_year';
  return 'disagree';
}

function comparePartial(query: Extract<PreparedBirthDate, { kind: 'partial' }>, candidate: BirthDate): BirthDateLevel {
  const yearAgrees = query.year === undefined || query.year === candidate.year;
  const monthAgrees = query.month === undefined || query.month === candidate.month;
  const dayAgrees = query.day === undefined || query.day === candidate.day;
  if (yearAgrees && monthAgrees && dayAgrees) return 'partial';
  if (query.year !== undefined && Math.abs(query.year - candidate.year) === 1 && monthAgrees && dayAgrees) return 'near_year';
  return 'disagree';
}

function compareAge(query: Extract<PreparedBirthDate, { kind: 'age' }>, candidate: BirthDate): BirthDateLevel {
  if (candidate.digits >= query.earliest && candidate.digits <= query.latest) return 'age_range';
  const earliestYear = Number(query.earliest.slice(0, 4));
  const latestYear = Number(query.latest.slice(0, 4));
  if (candidate.year >= earliestYear - 1 && candidate.year <= latestYear + 1) return 'near_age_range';
  return 'disagree';
}

export function compareBirthDateQuery(query: PreparedBirthDate | null, candidate: PreparedBirthDate | null): BirthDateOutcome {
  // Only a record's full date can be the candidate's side; a partial one says too little to weigh.
  const candidateDate = candidate?.kind === 'exact' ? candidate.date : null;
  if (query === null || candidateDate === null) return { level: 'missing', query, candidate: candidateDate };
  switch (query.kind) {
    case 'exact':
      return { level: compareBirthDates(query.date, candidateDate), query, candidate: candidateDate };
    case 'partial':
      return { level: comparePartial(query, candidateDate), query, candidate: candidateDate };
    case 'age':
      return { level: compareAge(query, candidateDate), query, candidate: candidateDate };
  }
}
