/** The person matcher's public face: what the person index, the duplicate finder and the benchmarks use. */
export type * from './types.ts';
export { createMatcher, type MatcherOptions } from './create-matcher.ts';
export { DEFAULT_MODEL } from './default-model.ts';
export { estimateModel, type EstimateOptions, type EstimatedModel } from './estimate-model.ts';
export { FIELD_LEVELS, withPopulation } from './model.ts';
export { countNameFrequencies, nameFrequencyKey, nameTermsOfQuery, nameTermsOfRecord, type NameTerms } from './name-frequencies.ts';
export { findCandidatePairs, type CandidatePairs } from './candidate-pairs.ts';
export { createNicknameTable, type NicknameTable } from './nicknames.ts';
export { isBroadKey, SINGLE_NAME_KEY_PREFIX } from './blocking-keys.ts';
export { slipsInFirstLetters } from './name-slips.ts';
