import { ageInYears, longDate } from '../../platform/time.ts';
import { strengthText } from '../duplicates/view-models.ts';
import { splitName } from './search-query.ts';
import type { Candidate } from './service.ts';

/** A search result as a row: who, born when, where, how strong a match, and why. */
export function candidateRows(candidates: readonly Candidate[], today: string) {
  return candidates.map((c) => {
    const name = c.record.names[0];
    const dob = c.record.dateOfBirth;
    const address = c.record.addresses[0];
    return {
      id: c.personId,
      name: name ? [name.given, name.family].filter(Boolean).join(' ') : '(no name)',
      otherNames: c.record.names.slice(1).map((n) => [n.given, n.family].filter(Boolean).join(' ')),
      born: dob ? `${longDate(dob)}, age ${ageInYears(dob, today)}` : 'Not known',
      sex: c.record.sex === 'female' ? 'Female' : c.record.sex === 'male' ? 'Male' : 'Not recorded',
      place: address ? [address.suburb, address.postcode].filter(Boolean).join(' ') : '',
      strength: strengthText(c.result.decision, c.result.probability),
      decision: c.result.decision,
      reasons: c.result.comparisons.map((comparison) => ({
        text: comparison.explanation,
        effect: comparison.weight > 0.05 ? 'for' : comparison.weight < -0.05 ? 'against' : 'neutral',
        weight: `${comparison.weight > 0 ? '+' : ''}${comparison.weight.toFixed(1)}`,
      })),
    };
  });
}

/** Only Hearth's own fields go back into the form: nothing else from the address bar. */
export function searchFormValues(query: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of ['given', 'family', 'name', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year', 'ageFrom', 'ageTo', 'sex', 'street', 'suburb', 'postcode', 'identifier']) {
    const value = query[name];
    const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (typeof first === 'string') values[name] = first.slice(0, 200);
  }
  // The home page's one box: shown here split into the two boxes it was read as.
  if (values.name && !values.given && !values.family) {
    const { given, family } = splitName(values.name);
    if (given) values.given = given;
    if (family) values.family = family;
  }
  delete values.name;
  return values;
}
