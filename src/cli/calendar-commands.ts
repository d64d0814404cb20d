import { parseCivilDate, weekdayOf, FIRST_YEAR, LAST_YEAR } from '../platform/calendar/civil-date.ts';
import { holidaysInYear, CalendarRangeError, MAX_WORKING_DAYS } from '../platform/calendar/working-days.ts';
import { practicePack, PracticePackError, PACK_IDS, type PracticePack } from '../practice/pack.ts';
import { options, required, UsageError, type Output } from './command.ts';

/** Commands that read a practice pack and nothing else: they open no database. */
export type StandaloneCommand = (args: readonly string[], out: Output) => number;

export const CALENDAR_USAGE = `  calendar add-working-days [--pack P] YYYY-MM-DD N
                                            print the date N working days after that date (not counting it)
  calendar holidays [--pack P] YYYY         list a year's public holidays in that pack (packs: ${PACK_IDS.join(', ')};
                                            without --pack, the one HEARTH_PRACTICE_PACK names)`;

/** The pack --pack names, else the one HEARTH_PRACTICE_PACK names, as the server would use. */
function packOf(id: string | undefined): PracticePack {
  try {
    return practicePack(required(id ?? process.env['HEARTH_PRACTICE_PACK'], 'pack'));
  } catch (error) {
    if (error instanceof PracticePackError && error.message.startsWith('There is no practice pack')) throw new UsageError(error.message);
    throw error;
  }
}

function dateArgument(text: string | undefined): string {
  if (text === undefined) throw new UsageError('A date is required, as YYYY-MM-DD');
  if (!parseCivilDate(text)) throw new UsageError(`${text} is not a date as YYYY-MM-DD from ${FIRST_YEAR} to ${LAST_YEAR}`);
  return text;
}

/** `hearth calendar add-working-days --pack nsw 2026-04-02 3` prints 2026-04-09. */
const addWorkingDays: StandaloneCommand = (args, out) => {
  const { values, positionals } = options(args, { pack: { type: 'string' } }, 2);
  const pack = packOf(values.pack);
  const date = dateArgument(positionals[0]);
  const count = positionals[1];
  if (count === undefined || !/^\d{1,5}$/.test(count) || Number(count) > MAX_WORKING_DAYS) throw new UsageError(`N must be a whole number of working days from 0 to ${MAX_WORKING_DAYS}`);
  try {
    out(pack.workingDays.add(date, Number(count)));
  } catch (error) {
    if (error instanceof CalendarRangeError) throw new UsageError(error.message);
    throw error;
  }
  return 0;
};

/** `hearth calendar holidays --pack nsw 2027`: each holiday as 'YYYY-MM-DD  weekday  name'. */
const holidays: StandaloneCommand = (args, out) => {
  const { values, positionals } = options(args, { pack: { type: 'string' } }, 1);
  const pack = packOf(values.pack);
  const year = positionals[0];
  if (year === undefined || !/^\d{4}$/.test(year) || Number(year) < FIRST_YEAR || Number(year) > LAST_YEAR) throw new UsageError(`A year from ${FIRST_YEAR} to ${LAST_YEAR} is required`);
  for (const [date, name] of holidaysInYear(pack.calendar, Number(year))) {
    const weekday = weekdayOf(date);
    out(`${date}  ${(weekday[0]!.toUpperCase() + weekday.slice(1)).padEnd(9)}  ${name}`);
  }
  return 0;
};

export const CALENDAR_COMMANDS: Record<string, StandaloneCommand> = {
  'calendar add-working-days': addWorkingDays,
  'calendar holidays': holidays,
};
