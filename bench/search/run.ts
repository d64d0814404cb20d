/**
 * `npm run bench:search [-- --count N] [--queries-per-kind N] [--engine pglite|postgres]`: the person
 * search's speed and recall at state scale, on each engine in one run.
 *
 * For each engine (PGlite always, in a temp folder; PostgreSQL too when TEST_DATABASE_URL or
 * DATABASE_URL names a server, in a database made for the run): import N synthetic people (default
 * 1,000,000, `hearth generate people` with a fixed seed) with the importer `hearth people import`
 * uses, timed; then a reproducible mix of queries (exact, misspelt, nickname, swapped, partial,
 * identifier), one at a time after a warm-up, each through PersonIndexService.search as a page calls
 * it (in an organisation transaction, audited), for latency percentiles and recall; the bounded worst
 * cases (the commonest names with nothing else); and a plain pg_trgm full-name search over the same
 * people and queries as the baseline. Figures go to the screen and to bench/results/search-*.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { HearthDatabase } from '../../src/db/connect.ts';
import { asSystem } from '../../src/db/tenancy.ts';
import { commandLineWho, organisationFor } from '../../src/cli/command.ts';
import type { PeopleCsvItem } from '../../src/features/person-index/import/read-people-csv.ts';
import { MAX_CANDIDATES } from '../../src/features/person-index/service.ts';
import { createPeopleServices } from '../../src/services.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { buildDataset, QUERY_KINDS, worstCaseQueries, type BenchQuery, type Dataset, type QueryKind } from './dataset.ts';
import { benchEngines, STATEMENT_TIMEOUT_MS, type BenchEngine } from './engines.ts';
import { latencyOf, rankOf, recallOf, timed, type Latency, type Recall } from './measure.ts';

const RESULTS = join(import.meta.dirname, '../results');
const TARGET_P95_MS = { pglite: 50, postgres: 25 } as const;
const TARGET_IMPORT_SECONDS = { postgres: 60 } as const;

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    'queries-per-kind': { type: 'string', default: '300' },
    'warm-up': { type: 'string', default: '200' },
    engine: { type: 'string' },
    'keep-data': { type: 'boolean', default: false },
  },
});

function wholeNumber(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
}

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

let lastProgress = 0;

/** Progress on stderr: one line redrawn on a terminal, a line every 15 s in a log. */
function progress(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(100)}`);
  else if (line !== '' && performance.now() - lastProgress > 15_000) {
    lastProgress = performance.now();
    process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line.trim()}\n`);
  }
}

interface KindResult {
  readonly kind: QueryKind;
  readonly latency: Latency;
  readonly recall: Recall;
  /** Median people scored per search, and how many searches read more than MAX_CANDIDATES. */
  readonly medianConsidered: number;
  readonly truncated: number;
}

interface WorstCase {
  readonly label: string;
  readonly fields: object;
  readonly runs: number;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly considered: number;
  readonly truncated: boolean;
}

interface BaselineResult {
  readonly indexSeconds: number;
  readonly threshold: number;
  readonly overall: { readonly latency: Latency; readonly recall: Recall };
  readonly kinds: { readonly kind: QueryKind; readonly latency: Latency; readonly recall: Recall }[];
}

interface EngineResult {
  readonly engine: 'pglite' | 'postgres';
  readonly where: string;
  readonly serverVersion: string;
  readonly settings: Record<string, string>;
  readonly counts: Record<string, number>;
  readonly importSeconds: number;
  readonly importRowsPerSecond: number;
  readonly importTargetSeconds: number | null;
  readonly diskBytes: number | null;
  readonly search: {
    readonly targetP95Ms: number;
    readonly overall: { readonly latency: Latency; readonly recall: Recall };
    readonly kinds: KindResult[];
  };
  readonly worstCases: WorstCase[];
  readonly baseline: BaselineResult;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

async function* itemsOf(items: readonly PeopleCsvItem[]): AsyncGenerator<PeopleCsvItem> {
  for (const item of items) yield item;
}

async function importPeople(database: HearthDatabase, organisationId: string, dataset: Dataset): Promise<{ seconds: number; created: number; rejected: number }> {
  const services = createPeopleServices(database.db, systemClock, 'Australia/Sydney');
  const started = performance.now();
  let rejected = 0;
  const stats = await services.importer.import(commandLineWho(organisationId), itemsOf(dataset.items), {
    onRejected: () => {
      rejected++;
    },
    onProgress: (s) => {
      const seconds = (performance.now() - started) / 1000;
      progress(`  importing: ${s.read.toLocaleString('en-AU')} of ${dataset.count.toLocaleString('en-AU')} (${Math.round(s.read / Math.max(seconds, 0.001)).toLocaleString('en-AU')} rows/s)`);
    },
  });
  progress('');
  if (process.stderr.isTTY) process.stderr.write('\r');
  return { seconds: (performance.now() - started) / 1000, created: stats.created, rejected };
}

async function countRows(database: HearthDatabase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['people', 'person_index', 'story_events', 'audit_events', 'person_addresses', 'person_identifiers'] as const) {
    const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db);
    counts[table] = row.rows[0]?.n ?? 0;
  }
  return counts;
}

async function engineInfo(database: HearthDatabase): Promise<{ version: string; settings: Record<string, string> }> {
  const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.db)).rows[0]?.v ?? '';
  const names = ['shared_buffers', 'work_mem', 'maintenance_work_mem', 'synchronous_commit', 'gin_pending_list_limit', 'statement_timeout'];
  const rows = await sql<{ name: string; setting: string; unit: string | null }>`select name, setting, unit from pg_settings where name = any(${names}::text[])`.execute(database.db);
  return { version, settings: Object.fromEntries(rows.rows.map((r) => [r.name, `${r.setting}${r.unit ? ` ${r.unit}` : ''}`])) };
}

type Services = ReturnType<typeof createPeopleServices>;

/** A page's search: PersonIndexService.search, top 10, in the organisation's transaction, audited. */
async function runSearches(services: Services, organisationId: string, queries: readonly BenchQuery[], label: string) {
  const who = { organisationId, requestId: 'bench-search', userId: null, role: 'practitioner' };
  const results: { kind: QueryKind; ms: number; rank: number | null; considered: number; truncated: boolean }[] = [];
  for (const [i, q] of queries.entries()) {
    const { value, ms } = await timed(() => services.personIndex.search(who, q.query, { limit: 10 }));
    results.push({ kind: q.kind, ms, rank: rankOf(value.candidates.map((c) => c.externalId), q.truth), considered: value.considered, truncated: value.truncated });
    if (i % 50 === 0) progress(`  ${label}: ${i} of ${queries.length}`);
  }
  progress('');
  return results;
}

/**
 * The baseline: a trigram GIN index over the lower-cased full name, and `%` with similarity order,
 * top 10. Built here only, never by the product's migrations.
 */
const FULL_NAME = sql`lower(given_names || ' ' || family_name)`;

async function buildBaselineIndex(database: HearthDatabase): Promise<number> {
  const started = performance.now();
  await asSystem(database.db, async (trx) => {
    await sql`set local statement_timeout = 0`.execute(trx);
    await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
    await sql`create index if not exists bench_people_full_name_trigrams on people using gin (${FULL_NAME} gin_trgm_ops)`.execute(trx);
  });
  await sql`analyze people`.execute(database.db);
  return (performance.now() - started) / 1000;
}

async function runBaseline(database: HearthDatabase, organisationId: string, queries: readonly BenchQuery[], label: string) {
  const results: { kind: QueryKind; ms: number; rank: number | null }[] = [];
  for (const [i, q] of queries.entries()) {
    // As the tables' owner: under row-level security `%` could not use the trigram index (it is not
    // leakproof), and the baseline would be a sequential scan rather than a plain trigram search.
    const { value, ms } = await timed(() =>
      asSystem(database.db, async (trx) => {
        const rows = await sql<{ external_id: string | null }>`
          select external_id from people
          where organisation_id = ${organisationId} and ${FULL_NAME} % ${q.fullName}
          order by similarity(${FULL_NAME}, ${q.fullName}) desc
          limit 10`.execute(trx);
        return rows.rows;
      }),
    );
    results.push({ kind: q.kind, ms, rank: rankOf(value.map((r) => r.external_id), q.truth) });
    if (i % 50 === 0) progress(`  ${label}: ${i} of ${queries.length}`);
  }
  progress('');
  return results;
}

async function runWorstCases(services: Services, organisationId: string, dataset: Dataset): Promise<WorstCase[]> {
  const who = { organisationId, requestId: 'bench-search', userId: null, role: 'practitioner' };
  const out: WorstCase[] = [];
  for (const worst of worstCaseQueries(dataset)) {
    const times: number[] = [];
    let considered = 0;
    let truncated = false;
    for (let run = 0; run < 7; run++) {
      const { value, ms } = await timed(() => services.personIndex.search(who, worst.query, { limit: 10 }));
      if (run > 1) times.push(ms); // the first two warm the cache
      considered = value.considered;
      truncated = value.truncated;
    }
    out.push({ label: worst.label, fields: worst.fields, runs: times.length, medianMs: round(median(times)), maxMs: round(Math.max(...times)), considered, truncated });
  }
  return out;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function benchEngine(engine: BenchEngine, dataset: Dataset): Promise<EngineResult> {
  say(`\n== ${engine.name} (${engine.where}) ==`);
  const database = await engine.open();
  try {
    const info = await engineInfo(database);
    const organisation = await organisationFor(database, undefined);
    const imported = await importPeople(database, organisation.id, dataset);
    say(`  imported ${imported.created.toLocaleString('en-AU')} people in ${imported.seconds.toFixed(1)} s (${Math.round(imported.created / imported.seconds).toLocaleString('en-AU')} rows/s); ${imported.rejected} rejected`);
    const counts = await countRows(database);
    say(`  rows: ${Object.entries(counts).map(([t, n]) => `${t} ${n.toLocaleString('en-AU')}`).join(', ')}`);

    const services = createPeopleServices(database.db, systemClock, 'Australia/Sydney');
    await runSearches(services, organisation.id, dataset.warmUp, 'warming up');
    const measured = await runSearches(services, organisation.id, dataset.queries, 'searching');
    const kinds: KindResult[] = QUERY_KINDS.map((kind) => {
      const of = measured.filter((r) => r.kind === kind);
      return {
        kind,
        latency: latencyOf(of.map((r) => r.ms)),
        recall: recallOf(of.map((r) => r.rank)),
        medianConsidered: median(of.map((r) => r.considered)),
        truncated: of.filter((r) => r.truncated).length,
      };
    });
    const overall = { latency: latencyOf(measured.map((r) => r.ms)), recall: recallOf(measured.map((r) => r.rank)) };
    const worstCases = await runWorstCases(services, organisation.id, dataset);

    const indexSeconds = await buildBaselineIndex(database);
    const named = dataset.queries.filter((q) => q.fullName !== '');
    await runBaseline(database, organisation.id, dataset.warmUp.filter((q) => q.fullName !== ''), 'baseline warm-up');
    const baselineRuns = await runBaseline(database, organisation.id, named, 'baseline');
    const baseline: BaselineResult = {
      indexSeconds: round(indexSeconds),
      threshold: 0.3,
      overall: { latency: latencyOf(baselineRuns.map((r) => r.ms)), recall: recallOf(baselineRuns.map((r) => r.rank)) },
      kinds: QUERY_KINDS.filter((kind) => kind !== 'identifier').map((kind) => {
        const of = baselineRuns.filter((r) => r.kind === kind);
        return { kind, latency: latencyOf(of.map((r) => r.ms)), recall: recallOf(of.map((r) => r.rank)) };
      }),
    };
    const diskBytes = await engine.size(database);
    return {
      engine: engine.name,
      where: engine.where,
      serverVersion: info.version,
      settings: info.settings,
      counts,
      importSeconds: round(imported.seconds),
      importRowsPerSecond: Math.round(imported.created / imported.seconds),
      importTargetSeconds: engine.name === 'postgres' ? TARGET_IMPORT_SECONDS.postgres : null,
      diskBytes,
      search: { targetP95Ms: TARGET_P95_MS[engine.name], overall, kinds },
      worstCases,
      baseline,
    };
  } finally {
    await database.close();
    if (!args['keep-data']) await engine.dispose();
    else say(`  data kept: ${engine.where}`);
  }
}

function pad(text: string | number, width: number, left = false): string {
  const s = String(text);
  return left ? s.padEnd(width) : s.padStart(width);
}

function printEngine(r: EngineResult): void {
  const importNote = r.importTargetSeconds === null ? '(no target)' : r.importSeconds <= r.importTargetSeconds ? `(target < ${r.importTargetSeconds} s: met)` : `(target < ${r.importTargetSeconds} s: MISSED)`;
  say(`\n${r.engine} ${r.serverVersion}: import ${r.importSeconds.toFixed(1)} s ${importNote}, ${r.importRowsPerSecond.toLocaleString('en-AU')} rows/s; on disk ${r.diskBytes === null ? '?' : `${(r.diskBytes / 1e9).toFixed(2)} GB`}`);
  say(`${pad('query kind', 20, true)}${pad('n', 6)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('recall@1', 10)}${pad('recall@10', 11)}${pad('scored', 8)}${pad('capped', 8)}`);
  const line = (name: string, l: Latency, rc: Recall, considered?: number, truncated?: number) =>
    say(`${pad(name, 20, true)}${pad(l.queries, 6)}${pad(l.p50.toFixed(1), 9)}${pad(l.p95.toFixed(1), 9)}${pad(l.p99.toFixed(1), 9)}${pad(l.max.toFixed(1), 9)}${pad(rc.at1.toFixed(3), 10)}${pad(rc.at10.toFixed(3), 11)}${pad(considered ?? '', 8)}${pad(truncated ?? '', 8)}`);
  for (const k of r.search.kinds) line(k.kind, k.latency, k.recall, k.medianConsidered, k.truncated);
  line('ALL', r.search.overall.latency, r.search.overall.recall);
  const met = r.search.overall.latency.p95 <= r.search.targetP95Ms;
  say(`p95 ${r.search.overall.latency.p95.toFixed(1)} ms against a target of <= ${r.search.targetP95Ms} ms: ${met ? 'met' : 'MISSED'}`);
  say(`\nbounded worst cases (median of ${r.worstCases[0]?.runs ?? 0} runs; at most ${MAX_CANDIDATES} people scored):`);
  for (const w of r.worstCases) say(`  ${pad(w.medianMs.toFixed(1), 7)} ms (max ${pad(w.maxMs.toFixed(1), 6)})  scored ${pad(w.considered, 5)}${w.truncated ? ' (capped)' : '         '}  ${w.label}`);
  say(`\nbaseline: plain pg_trgm full-name search (index built in ${r.baseline.indexSeconds.toFixed(1)} s; similarity threshold ${r.baseline.threshold}):`);
  for (const k of r.baseline.kinds) line(k.kind, k.latency, k.recall);
  line('ALL (named)', r.baseline.overall.latency, r.baseline.overall.recall);
}

async function main(): Promise<void> {
  const count = wholeNumber(args.count, 'count');
  const seed = wholeNumber(args.seed, 'seed');
  const perKind = wholeNumber(args['queries-per-kind'], 'queries-per-kind');
  const warmUp = wholeNumber(args['warm-up'], 'warm-up');
  const engines = benchEngines(args.engine);
  say(`bench:search: ${count.toLocaleString('en-AU')} people (seed ${seed}), ${perKind} queries per kind, ${warmUp} warm-up; engines: ${engines.map((e) => e.name).join(', ')}`);
  say(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; statement timeout ${STATEMENT_TIMEOUT_MS} ms`);
  const generating = performance.now();
  const dataset = buildDataset({ count, seed, perKind, warmUp, querySeed: 7 });
  say(`generated ${dataset.count.toLocaleString('en-AU')} people (${dataset.nearDuplicates.toLocaleString('en-AU')} near-duplicates) and ${dataset.queries.length} queries in ${((performance.now() - generating) / 1000).toFixed(1)} s`);

  const results: EngineResult[] = [];
  for (const engine of engines) {
    results.push(await benchEngine(engine, dataset));
    printEngine(results[results.length - 1]!);
  }

  if (results.length > 1) {
    say('\nsummary');
    for (const r of results) {
      const l = r.search.overall.latency;
      say(
        `  ${pad(r.engine, 9, true)} import ${pad(r.importSeconds.toFixed(1), 6)} s; search p50 ${l.p50.toFixed(1)} / p95 ${l.p95.toFixed(1)} / p99 ${l.p99.toFixed(1)} ms, recall@10 ${r.search.overall.recall.at10.toFixed(3)}; baseline p50 ${r.baseline.overall.latency.p50.toFixed(1)} / p95 ${r.baseline.overall.latency.p95.toFixed(1)} ms, recall@10 ${r.baseline.overall.recall.at10.toFixed(3)}`,
      );
    }
  }

  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `search-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const kindsByName = Object.fromEntries(QUERY_KINDS.map((kind) => [kind, dataset.queries.filter((q) => q.kind === kind).length]));
  const report = {
    benchmark: 'bench:search',
    startedFrom: `npm run bench:search -- --count ${count}`,
    machine: { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
    data: { people: count, seed, originals: dataset.originals, nearDuplicates: dataset.nearDuplicates, commonest: dataset.commonest },
    queries: { perKind: kindsByName, warmUp: dataset.warmUp.length, limit: 10, maxCandidates: MAX_CANDIDATES, statementTimeoutMs: STATEMENT_TIMEOUT_MS },
    notes: [
      'Latency is wall time of PersonIndexService.search (organisation transaction, audit row), one query at a time after a warm-up; percentiles by nearest rank.',
      "recall@k: the query's person (their record, or a near-duplicate record of them) is among the first k results.",
      'The machine is shared: quote medians and percentiles, not single runs.',
    ],
    results,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  say(`\nwrote ${file}`);
}

await main();
