import { compareSubjects, levelsOf, type CompareContext } from './compare-records.ts';
import { FIELD_LEVELS, MODEL_FIELDS } from './model.ts';
import type { PreparedSubject } from './prepare-record.ts';
import type { LevelProbabilities, MatchModel, ModelField } from './types.ts';

/**
 * Comparison vectors for learning: one byte per field per pair (the level's position in
 * FIELD_LEVELS, or MISSING), so EM can run over hundreds of thousands of pairs in little memory.
 */
export const MISSING = 255;
export const FIELD_COUNT = MODEL_FIELDS.length;

/** Per field, per level position: a probability (m or u) or a count. */
export type LevelTable = number[][];

const LEVEL_POSITIONS: { readonly [F in ModelField]: ReadonlyMap<string, number> } = (() => {
  const positions = {} as Record<ModelField, Map<string, number>>;
  for (const field of MODEL_FIELDS) positions[field] = new Map(FIELD_LEVELS[field].map((level, position) => [level, position]));
  return positions;
})();

/** Compares two prepared records and writes their vector at `offset`. */
export function writeVector(a: PreparedSubject, b: PreparedSubject, context: CompareContext, into: Uint8Array, offset: number): void {
  const levels = levelsOf(compareSubjects(a, b, context));
  MODEL_FIELDS.forEach((field, f) => {
    into[offset + f] = LEVEL_POSITIONS[field].get(levels[field] ?? 'missing') ?? MISSING;
  });
}

export function tableOf(model: MatchModel, pick: (probabilities: LevelProbabilities) => number): LevelTable {
  return MODEL_FIELDS.map((field) => FIELD_LEVELS[field].map((level) => pick(model.fields[field][level] ?? { m: 1, u: 1 })));
}

export function emptyTable(): LevelTable {
  return MODEL_FIELDS.map((field) => FIELD_LEVELS[field].map(() => 0));
}

export function normaliseRow(row: readonly number[]): number[] {
  const total = row.reduce((sum, value) => sum + value, 0);
  return row.map((value) => value / total);
}
