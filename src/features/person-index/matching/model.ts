import type { MatchModel, ModelField } from './types.ts';

/**
 * Each field's comparison levels, best first. 'missing' (either side unknown) is not listed: it
 * is no evidence either way and always weighs 0.
 */
export const FIELD_LEVELS = {
  given_name: ['exact', 'nickname', 'part', 'typo', 'phonetic', 'similar', 'initial', 'disagree'],
  family_name: ['exact', 'part', 'typo', 'phonetic', 'similar', 'disagree'],
  name_order: ['straight', 'swapped'],
  date_of_birth: ['exact', 'swapped', 'typo', 'component', 'year', 'near_year', 'disagree'],
  sex: ['exact', 'disagree'],
  street_number: ['exact', 'typo', 'disagree'],
  street: ['exact', 'typo', 'similar', 'disagree'],
  locality: ['exact', 'typo', 'similar', 'disagree'],
  suburb: ['exact', 'typo', 'similar', 'disagree'],
  postcode: ['exact', 'typo', 'disagree'],
  state: ['exact', 'disagree'],
  identifier: ['exact', 'typo', 'disagree'],
} as const satisfies { readonly [F in ModelField]: readonly string[] };

export type FieldLevel<F extends ModelField> = (typeof FIELD_LEVELS)[F][number] | 'missing';

export const MODEL_FIELDS = Object.keys(FIELD_LEVELS) as ModelField[];

/** The levels a query can reach but two records cannot: weighed from the model's other parameters. */
export type QueryBirthDateLevel = 'partial' | 'age_range' | 'near_age_range';

/** log2(m/u) per field and level, computed once per model. */
export type WeightTable = { readonly [F in ModelField]: Readonly<Record<string, number>> };

export function weightOf(m: number, u: number): number {
  return Math.log2(m / u);
}

/**
 * The weights, with one rule on top of log2(m/u): a partial agreement never counts more against a
 * match than plain disagreement. A learned model can say otherwise when its data never shows a
 * level among matches (a file whose dates are either right or wholly wrong makes "born a year
 * apart" look damning), but a worker would rightly not believe it.
 */
export function weightTableOf(model: MatchModel): WeightTable {
  const table = {} as Record<ModelField, Record<string, number>>;
  for (const field of MODEL_FIELDS) {
    const weights: Record<string, number> = { missing: 0 };
    for (const level of FIELD_LEVELS[field]) {
      const probabilities = model.fields[field][level];
      if (probabilities === undefined) throw new Error(`The match model has no ${field} level "${level}"`);
      weights[level] = weightOf(probabilities.m, probabilities.u);
    }
    const disagree = weights['disagree'];
    if (disagree !== undefined) {
      for (const level of FIELD_LEVELS[field]) weights[level] = Math.max(weights[level] ?? 0, disagree);
    }
    table[field] = weights;
  }
  return table;
}

/** Log2 of the prior odds: the weight a pair starts from before any field is compared. */
export function priorWeightOf(model: MatchModel): number {
  return Math.log2(model.priorMatchProbability / (1 - model.priorMatchProbability));
}

export function probabilityOf(totalWeight: number, priorWeight: number): number {
  return 1 / (1 + 2 ** -(totalWeight + priorWeight));
}

/**
 * The model with its prior set for a search over `population` people: a query names one of them
 * at most, so any one candidate is the person with a chance of about one in `population`.
 */
export function withPopulation(model: MatchModel, population: number): MatchModel {
  return { ...model, priorMatchProbability: 1 / Math.max(2, population) };
}
