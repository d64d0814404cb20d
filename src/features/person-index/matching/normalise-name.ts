import { foldText, foldTextAlternative } from './fold-text.ts';

/** A name as the matcher compares it. */
export interface NormalisedName {
  /** As written (trimmed), for explanations. */
  readonly display: string;
  /** Folded, with single spaces between parts: "obrien smith". */
  readonly full: string;
  /** Without spaces: "obriensmith"; "Mc Carthy" and "McCarthy" are the same name. */
  readonly compact: string;
  /** The separate parts of a double-barrelled or multi-part name: ["obrien", "smith"]. */
  readonly parts: readonly string[];
  /** Another common spelling, without spaces ("mueller" for "Müller"), when there is one. */
  readonly alternative: string | undefined;
}

/** Words that say who someone is, not what they are called: dropped wherever they stand first or last. */
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'master', 'dr', 'doctor', 'prof', 'professor', 'rev', 'revd', 'reverend', 'sir', 'dame', 'lady', 'lord', 'fr', 'father', 'sister', 'hon']);
const SUFFIXES = new Set(['jr', 'jnr', 'junior', 'sr', 'snr', 'senior', 'ii', 'iii', 'iv', 'esq', 'phd', 'md', 'obe', 'mbe', 'cbe']);

/**
 * What child-protection records write when a given name is not known: "Baby", "Unborn",
 * "Unknown", "NFN" (no first name). Such a name is missing, not a name that disagrees.
 */
const PLACEHOLDERS = new Set(['baby', 'unborn', 'infant', 'unknown', 'unk', 'nfn', 'fnu', 'lnu', 'nk', 'notknown', 'none', 'na', 'tba', 'tbc', 'bb', 'babyof', 'twin']);

const MAX_NAME_LENGTH = 100;
const CONTROL_CHARACTERS = /\p{Cc}/gu;

function dropTitlesAndSuffixes(parts: string[]): string[] {
  let first = 0;
  let last = parts.length;
  while (first < last - 1 && TITLES.has(parts[first] ?? '')) first++;
  while (last > first + 1 && SUFFIXES.has(parts[last - 1] ?? '')) last--;
  return parts.slice(first, last);
}

/**
 * Normalises a given or family name: folded, titles ("Dr", "Mrs") and suffixes ("Jr", "III")
 * dropped, hyphenated and double-barrelled names split into parts. Null when nothing that names
 * a person is left (empty, punctuation only, or a placeholder such as "Baby" or "Unknown").
 */
export function normaliseName(raw: string | null | undefined): NormalisedName | null {
  if (raw === null || raw === undefined) return null;
  // A pasted essay is not a name: the first hundred characters are plenty and keep comparisons cheap.
  // Control characters (pasted from other systems) would only garble the explanation.
  const display = raw.replace(CONTROL_CHARACTERS, '').trim().slice(0, MAX_NAME_LENGTH);
  const parts = dropTitlesAndSuffixes(foldText(display).split(' ').filter((part) => part !== ''));
  if (parts.length === 0) return null;
  if (parts.every((part) => PLACEHOLDERS.has(part) || part === 'of')) return null;
  const full = parts.join(' ');
  const compact = parts.join('');
  const alternativeText = foldTextAlternative(display);
  const alternative = alternativeText === undefined ? undefined : dropTitlesAndSuffixes(alternativeText.split(' ')).join('');
  return { display, full, compact, parts, alternative: alternative === compact ? undefined : alternative };
}
