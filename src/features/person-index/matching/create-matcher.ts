import { keysForQuerySubject, keysForSubject, singleNameKeys } from './blocking-keys.ts';
import { compareSubjects, type CompareContext } from './compare-records.ts';
import { priorWeightOf, probabilityOf, weightTableOf } from './model.ts';
import { createNicknameTable } from './nicknames.ts';
import { fromPreparedRecord, prepareSubject, toPreparedRecord } from './prepare-record.ts';
import type { MatchDecision, MatchModel, MatchQuery, MatchRecord, MatchResult, NameFrequencies, PreparedRecord, PreparingMatcher } from './types.ts';
import { weighOutcome, type WeighContext } from './weigh-outcome.ts';

export interface MatcherOptions {
  /** More nickname groups, formal name first: the organisation's own community's names. */
  readonly extraNicknames?: readonly (readonly string[])[];
}

export function decisionFor(probability: number, model: MatchModel): MatchDecision {
  if (probability >= model.thresholds.match) return 'match';
  return probability >= model.thresholds.possible ? 'possible' : 'non-match';
}

/**
 * The person matcher for one model. Everything that depends only on the model (weights, the
 * nickname table) is worked out here, once.
 */
export function createMatcher(model: MatchModel, frequencies?: NameFrequencies, options: MatcherOptions = {}): PreparingMatcher {
  const nicknames = createNicknameTable(options.extraNicknames);
  const weights = weightTableOf(model);
  const priorWeight = priorWeightOf(model);
  const compareContext: CompareContext = { weights, nicknames };
  const explaining: WeighContext = { model, weights, priorWeight, frequencies, nicknames, explain: true };
  const scoring: WeighContext = { ...explaining, explain: false };
  const prepare = (subject: MatchQuery | MatchRecord): PreparedRecord => toPreparedRecord(prepareSubject(subject, nicknames));
  // compare(query, candidate) is called with one query and many candidates: the last query
  // prepared is remembered, so it is prepared once (a WeakMap of every object costs more in GC).
  // Records and queries are read-only by their types; one changed in place would not be seen.
  let lastQuery: MatchQuery | MatchRecord | undefined;
  let lastPrepared: PreparedRecord | undefined;
  const prepareQuery = (query: MatchQuery | MatchRecord): PreparedRecord => {
    if (query !== lastQuery || lastPrepared === undefined) {
      lastPrepared = prepare(query);
      lastQuery = query;
    }
    return lastPrepared;
  };

  function score(query: PreparedRecord, candidate: PreparedRecord, context: WeighContext): MatchResult {
    const comparisons = weighOutcome(compareSubjects(fromPreparedRecord(query), fromPreparedRecord(candidate), compareContext), context);
    let weight = 0;
    for (const comparison of comparisons) weight += comparison.weight;
    const probability = probabilityOf(weight, priorWeight);
    return { weight, probability, decision: decisionFor(probability, model), comparisons };
  }

  const comparePrepared = (query: PreparedRecord, candidate: PreparedRecord): MatchResult => score(query, candidate, explaining);

  return {
    model,
    prepare,
    comparePrepared,
    scorePrepared: (query, candidate) => score(query, candidate, scoring),
    compare: (query, candidate) => comparePrepared(prepareQuery(query), prepare(candidate)),
    keysForPrepared: (subject) => keysForSubject(fromPreparedRecord(subject)),
    keysForRecord: (record) => {
      const subject = fromPreparedRecord(prepare(record));
      return [...keysForSubject(subject), ...singleNameKeys(subject)];
    },
    keysForQuery: (query) => {
      const subject = fromPreparedRecord(prepare(query));
      const keys = keysForQuerySubject(subject);
      // Only a query with nothing else to block on falls back to the sound of a single name.
      return keys.length > 0 ? keys : singleNameKeys(subject);
    },
  };
}
