/**
 * Synthetic households: two-parent families, sole parents, step-families (a partner, and sometimes
 * children, with another surname), couples and people living alone. Children are 0 to 17 years old
 * on the reference day, a few years apart (now and then twins); parents were 18 to 40 at their
 * eldest child's birth; everyone else is an adult of 18 to 85.
 */
import { DAYS_PER_YEAR } from './civil-date.ts';
import type { FrequencyTables, Sex } from './frequency-tables.ts';
import type { Random } from './random.ts';

export type Role = 'parent' | 'child' | 'adult';
export type HouseholdKind = 'two-parent' | 'sole-parent' | 'step-family' | 'couple' | 'single';

export interface Member {
  readonly givenName: string;
  readonly familyName: string;
  /** Days since 1970-01-01. */
  readonly birthDay: number;
  readonly sex: Sex;
  readonly role: Role;
}

export interface HouseholdDays {
  /** The reference day: nobody is born after it. */
  readonly today: number;
  /** The earliest birthday of someone still 17 on the reference day. */
  readonly earliestChild: number;
}

const YEAR = Math.floor(DAYS_PER_YEAR);

const other = (sex: Sex): Sex => (sex === 'female' ? 'male' : 'female');

function childCount(random: Random): number {
  const r = random.next();
  return r < 0.35 ? 1 : r < 0.73 ? 2 : r < 0.91 ? 3 : 4;
}

/** Birthdays of siblings, eldest first, 1 to 4 years apart (3% twins), all 0-17 on the day. */
function childBirthDays(count: number, days: HouseholdDays, random: Random): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < count; i++) gaps.push(random.chance(0.03) ? 0 : random.int(YEAR, 4 * YEAR));
  const span = gaps.reduce((sum, gap) => sum + gap, 0);
  let day = random.int(days.earliestChild, days.today - span);
  const births = [day];
  for (const gap of gaps) births.push((day += gap));
  return births;
}

/** An adult's birthday: 18 to 85 years before the day. */
function adultBirthDay(days: HouseholdDays, random: Random): number {
  return days.today - random.int(18 * YEAR + 5, 85 * YEAR);
}

/** A partner within a few years of the other, and an adult. */
function partnerBirthDay(birthDay: number, days: HouseholdDays, random: Random): number {
  return Math.min(birthDay + random.int(-6 * YEAR, 3 * YEAR), days.today - 18 * YEAR - 5);
}

export function makeHousehold(tables: FrequencyTables, days: HouseholdDays, random: Random): { kind: HouseholdKind; members: Member[] } {
  const members: Member[] = [];
  const add = (sex: Sex, familyName: string, birthDay: number, role: Role) => {
    let givenName = tables.givenNames[sex].draw(random);
    // Parents rarely give two children the same name; a few draws make it rarer still.
    for (let tries = 0; tries < 5 && members.some((m) => m.givenName === givenName); tries++) givenName = tables.givenNames[sex].draw(random);
    members.push({ givenName, familyName, birthDay, sex, role });
  };
  const addChildren = (births: readonly number[], familyName: string) => {
    for (const birthDay of births) add(random.chance(0.5) ? 'female' : 'male', familyName, birthDay, 'child');
  };
  /** A parent 18 to 40 (most often near 29) at the eldest child's birth. */
  const parentBirthDay = (eldest: number) => eldest - (18 + random.int(0, 11) + random.int(0, 11)) * YEAR - random.int(0, YEAR - 1);
  const familyName = tables.familyNames.draw(random);
  const r = random.next();
  if (r < 0.4) {
    const births = childBirthDays(childCount(random), days, random);
    const first = parentBirthDay(births[0] as number);
    const sex: Sex = random.chance(0.5) ? 'female' : 'male';
    add(sex, familyName, first, 'parent');
    add(random.chance(0.97) ? other(sex) : sex, familyName, partnerBirthDay(first, days, random), 'parent');
    addChildren(births, familyName);
    return { kind: 'two-parent', members };
  }
  if (r < 0.58) {
    const births = childBirthDays(childCount(random), days, random);
    add(random.chance(0.82) ? 'female' : 'male', familyName, parentBirthDay(births[0] as number), 'parent');
    addChildren(births, familyName);
    return { kind: 'sole-parent', members };
  }
  if (r < 0.68) {
    const births = childBirthDays(random.int(1, 3), days, random);
    const sex: Sex = random.chance(0.75) ? 'female' : 'male';
    const first = parentBirthDay(births[0] as number);
    const partnerName = tables.familyNames.draw(random);
    add(sex, familyName, first, 'parent');
    add(random.chance(0.97) ? other(sex) : sex, partnerName, partnerBirthDay(first, days, random), 'parent');
    // Children of an earlier relationship: the parent's surname, or their absent parent's.
    addChildren(births, random.chance(0.7) ? familyName : tables.familyNames.draw(random));
    const youngest = births[births.length - 1] as number;
    if (random.chance(0.4) && youngest + YEAR <= days.today) addChildren([random.int(youngest + YEAR, days.today)], partnerName);
    return { kind: 'step-family', members };
  }
  if (r < 0.8) {
    const first = adultBirthDay(days, random);
    const sex: Sex = random.chance(0.5) ? 'female' : 'male';
    add(sex, familyName, first, 'adult');
    add(random.chance(0.95) ? other(sex) : sex, random.chance(0.7) ? familyName : tables.familyNames.draw(random), partnerBirthDay(first, days, random), 'adult');
    return { kind: 'couple', members };
  }
  add(random.chance(0.5) ? 'female' : 'male', familyName, adultBirthDay(days, random), 'adult');
  return { kind: 'single', members };
}
