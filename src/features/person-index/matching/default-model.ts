import type { LevelProbabilities, MatchModel } from './types.ts';

/**
 * The model Hearth uses until one is learned from an organisation's own records (`estimateModel`).
 * Parameters are data, set by hand from what is known about how people are recorded:
 *
 * - m (same person): most records of one person agree exactly; the rest are slips, nicknames and
 *   swaps in roughly the shares that studies of hand-keyed registers report (a few per cent each).
 *   Family names change more than given names (children take a step-parent's name), and an
 *   address disagrees for about one record in five (families move).
 * - u (different people): how often two people picked at random agree by chance. For exact names
 *   the matcher uses each name's own frequency when it has one ("Jack" agrees by chance far more
 *   often than "Zebedee"); these are the averages used otherwise.
 *
 * The thresholds are posterior probabilities, chosen once for every use:
 * - match at 0.5: more likely than not the same person. For a calibrated model this is also where
 *   the F1 score is best, since F1 is highest where a pair's probability crosses half the F1.
 * - possible at 0.05: at least one chance in twenty, worth a person's look in the review queue.
 * The prior is one in a million: a search of a state's index (about that many people) names one of
 * them. `withPopulation` sets it for another size; `estimateModel` learns it.
 *
 * The household parameters say how alike two different members of one family are (see the
 * household rule in weigh-outcome.ts): without them, brothers and sisters at one address look
 * like one person recorded twice.
 */
function level(m: number, u: number): LevelProbabilities {
  return { m, u };
}

export const DEFAULT_MODEL: MatchModel = {
  description: 'Hearth default model: parameters set by hand (see default-model.ts)',
  priorMatchProbability: 1e-6,
  thresholds: { match: 0.5, possible: 0.05 },
  fields: {
    given_name: {
      exact: level(0.875, 0.01),
      nickname: level(0.03, 0.002),
      part: level(0.01, 0.0005),
      typo: level(0.03, 0.002),
      phonetic: level(0.01, 0.004),
      similar: level(0.01, 0.02),
      initial: level(0.005, 0.002),
      disagree: level(0.02, 0.9595),
    },
    family_name: {
      exact: level(0.85, 0.003),
      part: level(0.02, 0.0002),
      typo: level(0.03, 0.001),
      phonetic: level(0.01, 0.003),
      similar: level(0.01, 0.015),
      disagree: level(0.08, 0.9778),
    },
    // Swapping is a way of writing a name, not something two people share by chance: u is 1, so
    // reading the names swapped costs log2(m), about -5.6, and wins only when it fits far better.
    name_order: {
      straight: level(0.98, 1),
      swapped: level(0.02, 1),
    },
    date_of_birth: {
      exact: level(0.9, 0.00005),
      swapped: level(0.01, 0.000005),
      typo: level(0.03, 0.0015),
      component: level(0.02, 0.004),
      year: level(0.005, 0.015),
      near_year: level(0.005, 0.04),
      disagree: level(0.03, 0.93943),
    },
    sex: {
      exact: level(0.98, 0.5),
      disagree: level(0.02, 0.5),
    },
    street_number: {
      exact: level(0.78, 0.02),
      typo: level(0.02, 0.02),
      disagree: level(0.2, 0.96),
    },
    street: {
      exact: level(0.76, 0.002),
      typo: level(0.03, 0.001),
      similar: level(0.01, 0.01),
      disagree: level(0.2, 0.987),
    },
    locality: {
      exact: level(0.74, 0.01),
      typo: level(0.03, 0.005),
      similar: level(0.02, 0.02),
      disagree: level(0.21, 0.965),
    },
    suburb: {
      exact: level(0.78, 0.01),
      typo: level(0.02, 0.002),
      similar: level(0.01, 0.01),
      disagree: level(0.19, 0.978),
    },
    postcode: {
      exact: level(0.78, 0.01),
      typo: level(0.02, 0.03),
      disagree: level(0.2, 0.96),
    },
    state: {
      exact: level(0.95, 0.3),
      disagree: level(0.05, 0.7),
    },
    identifier: {
      exact: level(0.95, 0.000001),
      typo: level(0.02, 0.00001),
      disagree: level(0.03, 0.999989),
    },
  },
  birthDateComponents: { year: 1 / 60, month: 1 / 12, day: 1 / 30 },
  birthYearSpan: 60,
  movedProbability: 0.05,
  minimumNameFrequency: 0.00001,
  // Different people of one household: most share the family name and the address; twins (about
  // one birth in seventy) share a date of birth; siblings are often born a year or so apart.
  household: {
    share: 2.5,
    u: {
      given_name: { exact: 0.01, nickname: 0.005, part: 0.005, typo: 0.005, phonetic: 0.01, similar: 0.03, initial: 0.01, disagree: 0.925 },
      family_name: { exact: 0.7, part: 0.05, typo: 0.005, phonetic: 0.005, similar: 0.01, disagree: 0.23 },
      date_of_birth: { exact: 0.015, swapped: 0.0002, typo: 0.01, component: 0.03, year: 0.05, near_year: 0.15, disagree: 0.745 },
      street_number: { exact: 0.9, typo: 0.01, disagree: 0.09 },
      street: { exact: 0.9, typo: 0.01, similar: 0.01, disagree: 0.08 },
      locality: { exact: 0.9, typo: 0.01, similar: 0.01, disagree: 0.08 },
      suburb: { exact: 0.92, typo: 0.01, similar: 0.01, disagree: 0.06 },
      postcode: { exact: 0.92, typo: 0.01, disagree: 0.07 },
      state: { exact: 0.97, disagree: 0.03 },
    },
  },
};
