/**
 * `npm run bench:matching`: the person matcher's quality on the FEBRL benchmark, with the same
 * settings for every file: blocking keys, a model learned by EM from each file's own records
 * (no labels), and the model's match threshold. The true matches (from rec_id) only score the result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCandidatePairs } from '../../src/features/person-index/matching/candidate-pairs.ts';
import { createMatcher } from '../../src/features/person-index/matching/create-matcher.ts';
import { DEFAULT_MODEL } from '../../src/features/person-index/matching/default-model.ts';
import { estimateModel } from '../../src/features/person-index/matching/estimate-model.ts';
import { withPopulation } from '../../src/features/person-index/matching/model.ts';
import { countNameFrequencies } from '../../src/features/person-index/matching/name-frequencies.ts';
import { assignOneToOne, countTrueMatchesAcross, countTrueMatchesWithin, scoresOf, type ScoredPair, type Scores } from './evaluate.ts';
import { readFebrl, type FebrlRecord } from './febrl.ts';
import { syntheticRecords } from './synthetic.ts';

const DATA = process.env['FEBRL_DIR'] ?? join(import.meta.dirname, '../../../shared/data/febrl');
const RESULTS = join(import.meta.dirname, '../results');

interface DatasetResult {
  readonly dataset: string;
  readonly records: number;
  readonly trueMatches: number;
  readonly pairsCompared: number;
  readonly trueMatchesInCandidates: number;
  readonly blockingRecall: number;
  readonly averageKeysPerRecord: number;
  readonly model: { readonly description: string; readonly priorMatchProbability: number; readonly matchThreshold: number; readonly householdShare: number | null };
  readonly scores: Scores;
  readonly oneToOne?: Scores;
  readonly seconds: { readonly learn: number; readonly block: number; readonly score: number; readonly total: number };
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The same records without their identifier: how well names, date of birth and address do alone. */
function withoutIdentifiers(records: readonly FebrlRecord[]): FebrlRecord[] {
  return records.map(({ record, person }) => ({ record: { ...record, identifiers: [] }, person }));
}

/** 'learned': EM on the file's own records (the headline). 'default': Hearth's hand-set model, its prior one in the file's size. */
type ModelChoice = 'learned' | 'default';

function modelFor(choice: ModelChoice, left: readonly FebrlRecord[], right: readonly FebrlRecord[] | undefined) {
  const records = left.map((r) => r.record);
  if (choice === 'default') {
    return { model: withPopulation(DEFAULT_MODEL, left.length), frequencies: countNameFrequencies([...records, ...(right ?? []).map((r) => r.record)]) };
  }
  return right === undefined ? estimateModel({ records }) : estimateModel({ records, linkTo: right.map((r) => r.record) });
}

function evaluate(dataset: string, left: readonly FebrlRecord[], right: readonly FebrlRecord[] | undefined, choice: ModelChoice = 'learned'): DatasetResult {
  const started = performance.now();
  const linking = right !== undefined;
  const estimated = modelFor(choice, left, right);
  const learned = performance.now();

  const matcher = createMatcher(estimated.model, estimated.frequencies);
  const preparedLeft = left.map((r) => matcher.prepare(r.record));
  const preparedRight = linking ? right.map((r) => matcher.prepare(r.record)) : preparedLeft;
  const keysLeft = preparedLeft.map((p) => matcher.keysForPrepared(p));
  const keysRight = linking ? preparedRight.map((p) => matcher.keysForPrepared(p)) : keysLeft;
  const pairs = findCandidatePairs(keysLeft, linking ? keysRight : undefined);
  const blocked = performance.now();

  const rightPeople = (right ?? left).map((r) => r.person);
  const trueMatches = linking ? countTrueMatchesAcross(left.map((r) => r.person), rightPeople) : countTrueMatchesWithin(left.map((r) => r.person));
  let found = 0;
  let truePositives = 0;
  let falsePositives = 0;
  const scored: ScoredPair[] = [];
  for (let pair = 0; pair < pairs.count; pair++) {
    const a = pairs.left[pair] ?? 0;
    const b = pairs.right[pair] ?? 0;
    const result = matcher.comparePrepared(preparedLeft[a] ?? preparedLeft[0]!, preparedRight[b] ?? preparedRight[0]!);
    const same = left[a]?.person === rightPeople[b];
    if (same) found++;
    if (result.decision === 'match') {
      if (same) truePositives++;
      else falsePositives++;
    }
    scored.push({ left: a, right: b, probability: result.probability, weight: result.weight });
  }
  const finished = performance.now();

  let oneToOne: Scores | undefined;
  if (linking) {
    const chosen = assignOneToOne(scored, estimated.model.thresholds.match);
    const correct = chosen.filter((pair) => left[pair.left]?.person === rightPeople[pair.right]).length;
    oneToOne = scoresOf(correct, chosen.length - correct, trueMatches);
  }
  const keyCount = [...keysLeft, ...(linking ? keysRight : [])];
  return {
    dataset,
    records: left.length + (right?.length ?? 0),
    trueMatches,
    pairsCompared: pairs.count,
    trueMatchesInCandidates: found,
    blockingRecall: trueMatches === 0 ? 1 : found / trueMatches,
    averageKeysPerRecord: keyCount.reduce((sum, keys) => sum + keys.length, 0) / keyCount.length,
    model: {
      description: estimated.model.description,
      priorMatchProbability: estimated.model.priorMatchProbability,
      matchThreshold: estimated.model.thresholds.match,
      householdShare: estimated.model.household?.share ?? null,
    },
    scores: scoresOf(truePositives, falsePositives, trueMatches),
    ...(oneToOne === undefined ? {} : { oneToOne }),
    seconds: { learn: (learned - started) / 1000, block: (blocked - learned) / 1000, score: (finished - blocked) / 1000, total: (finished - started) / 1000 },
  };
}

function describe(scores: Scores): string {
  return `precision ${scores.precision.toFixed(4)}  recall ${scores.recall.toFixed(4)}  F1 ${scores.f1.toFixed(4)}  (TP ${scores.truePositives}, FP ${scores.falsePositives}, FN ${scores.falseNegatives})`;
}

function report(result: DatasetResult): void {
  say(`\n${result.dataset}: ${result.records} records, ${result.trueMatches} true matching pairs`);
  say(`  blocking: ${result.pairsCompared} pairs compared, ${result.averageKeysPerRecord.toFixed(1)} keys per record, blocking recall ${result.blockingRecall.toFixed(4)} (${result.trueMatches - result.trueMatchesInCandidates} true pairs missed)`);
  const household = result.model.householdShare === null ? '' : `; ${result.model.householdShare.toFixed(3)} household pairs per match`;
  say(`  model: ${result.model.description}; prior ${result.model.priorMatchProbability.toExponential(2)}${household}; match at probability >= ${result.model.matchThreshold}`);
  say(`  pairwise:      ${describe(result.scores)}`);
  if (result.oneToOne !== undefined) say(`  one-to-one:    ${describe(result.oneToOne)}`);
  say(`  time: learn ${result.seconds.learn.toFixed(1)} s, block ${result.seconds.block.toFixed(1)} s, score ${result.seconds.score.toFixed(1)} s, total ${result.seconds.total.toFixed(1)} s`);
}

const febrl3Records = readFebrl(join(DATA, 'febrl_dataset3.csv'));
const febrl4a = readFebrl(join(DATA, 'febrl_dataset4a.csv'));
const febrl4b = readFebrl(join(DATA, 'febrl_dataset4b.csv'));
const synthetic = syntheticRecords(20_000, 1);
const results = [
  evaluate('FEBRL3 (deduplicate one file)', febrl3Records, undefined),
  evaluate('FEBRL4 (link 4a with 4b)', febrl4a, febrl4b),
  // Not targets. Without the identifier: it is evidence, not the key to the result. With the
  // default model: nothing learned from the file at all.
  evaluate('FEBRL3 without soc_sec_id', withoutIdentifiers(febrl3Records), undefined),
  evaluate('FEBRL4 without soc_sec_id', withoutIdentifiers(febrl4a), withoutIdentifiers(febrl4b)),
  evaluate('FEBRL3 with the default model (nothing learned)', febrl3Records, undefined, 'default'),
  evaluate('FEBRL4 with the default model (nothing learned)', febrl4a, febrl4b, 'default'),
  // Families: what FEBRL lacks and Hearth holds. The same settings again.
  evaluate('Synthetic households (hearth generate people, 20,000 rows, seed 1)', synthetic.records, undefined),
  evaluate('Synthetic households with the default model (nothing learned)', synthetic.records, undefined, 'default'),
];
results.forEach(report);

mkdirSync(RESULTS, { recursive: true });
const file = join(RESULTS, `matching-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
say(`\nWritten to ${file}`);
