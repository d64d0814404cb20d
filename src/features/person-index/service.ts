import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inOrganisation, type Trx } from '../../db/tenancy.ts';
import { recordAudit, type AuditWho } from '../../platform/audit/audit-log.ts';
import { editDistance } from './matching/edit-distance.ts';
import { DEFAULT_MODEL, estimateModel, isBroadKey, nameFrequencyKey, slipsInFirstLetters, withPopulation } from './matching/index.ts';
import type { MatchModel, MatchQuery, MatchRecord, MatchResult, NameFrequencies, PreparedRecord, PreparingMatcher } from './matching/types.ts';
import { matchRecordFromDatabase } from './record-from-database.ts';
import { splitName } from './search-query.ts';
import { longDate } from '../../platform/time.ts';

/** What the person index needs from the matcher, so the two can change apart. */
export interface MatcherKit {
  matcher(model?: MatchModel, frequencies?: NameFrequencies): PreparingMatcher;
  /** A record's normalised given and family names, as NameFrequencies is asked about them. */
  recordTerms(record: MatchRecord): NameTerms;
  queryTerms(query: MatchQuery): NameTerms;
}

export interface NameTerms {
  readonly given: readonly string[];
  readonly family: readonly string[];
}

export interface Candidate {
  readonly personId: string;
  /** The id the person has in a system they were imported from, if any. */
  readonly externalId: string | null;
  readonly record: MatchRecord;
  readonly result: MatchResult;
}

export interface SearchOutcome {
  readonly candidates: readonly Candidate[];
  /** How many people shared a key with the query and were scored. */
  readonly considered: number;
  /** True when more people shared a key than one search scores: the query should be narrowed. */
  readonly truncated: boolean;
}

/** The most candidates one search reads and scores: this bounds the time any search can take. */
export const MAX_CANDIDATES = 2000;
/**
 * Below this many people a name's share says little (in an organisation of three Thompsons every
 * Thompson is "common"): the model's average weights serve instead.
 */
const MIN_PEOPLE_FOR_FREQUENCIES = 1000;
/**
 * Below this many people, expectation maximisation has too few pairs of records of one person to
 * tell them from brothers and sisters at one address: on a few hundred generated people it learned
 * "same household" as "same person" and queued most families' members as likely duplicates. The
 * default model serves until the organisation holds this many.
 */
export const MIN_PEOPLE_TO_LEARN = 2000;
/** Known spellings tried in place of each typed name, of each way of finding them. */
const SPELLINGS_TRIED = 5;
/**
 * The person index: each person's MatchRecord and blocking keys, kept in step with their record in
 * the same transaction as every change, and the search over it.
 */
export class PersonIndexService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kit: MatcherKit,
  ) {}

  /**
   * Brings one person's index row (and the name counts) up to date with their record. A merged
   * person has no row of their own, but their name is on the record they were merged into: that
   * one is brought up to date instead.
   */
  async reindex(trx: Trx, personId: string): Promise<void> {
    const record = await matchRecordFromDatabase(trx, personId);
    const before = await trx.selectFrom('person_index').select(['organisation_id', 'record']).where('person_id', '=', personId).executeTakeFirst();
    const organisationId = before?.organisation_id ?? (await trx.selectFrom('people').select('organisation_id').where('id', '=', personId).executeTakeFirst())?.organisation_id;
    if (!organisationId) return;
    const beforeTerms = before ? this.kit.recordTerms({ ...(before.record as unknown as Omit<MatchRecord, 'id'>), id: personId }) : { given: [], family: [] };
    if (!record) {
      if (before) {
        await trx.deleteFrom('person_index').where('person_id', '=', personId).execute();
        await adjustCounts(trx, organisationId, beforeTerms, { given: [], family: [] }, -1);
      }
      const survivor = await trx.selectFrom('people').select('merged_into_id').where('id', '=', personId).executeTakeFirst();
      if (survivor?.merged_into_id) await this.reindex(trx, survivor.merged_into_id);
      return;
    }
    const { id: _id, ...stored } = record;
    const keys = sql<number[]>`person_key_numbers(${sql.val(this.kit.matcher(DEFAULT_MODEL).keysForRecord(record))}::text[])`;
    await trx
      .insertInto('person_index')
      .values({ person_id: personId, organisation_id: organisationId, record: JSON.stringify(stored), keys })
      .onConflict((oc) => oc.column('person_id').doUpdateSet({ record: JSON.stringify(stored), keys }))
      .execute();
    await adjustCounts(trx, organisationId, beforeTerms, this.kit.recordTerms(record), before ? 0 : 1);
  }

  /** Rebuilds every (unmerged) person's index entry in an organisation, a thousand to a transaction. */
  async reindexAll(organisationId: string, onProgress?: (done: number, total: number) => void): Promise<number> {
    const ids = await inOrganisation(this.db, organisationId, (trx) =>
      trx.selectFrom('people').select('id').where('merged_into_id', 'is', null).orderBy('id').execute(),
    );
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000);
      await inOrganisation(this.db, organisationId, async (trx) => {
        for (const { id } of batch) await this.reindex(trx, id);
      });
      onProgress?.(Math.min(i + 1000, ids.length), ids.length);
    }
    return ids.length;
  }

  /**
   * Indexes anyone not yet in the index (people recorded before the index existed), in every
   * organisation. Run at start-up; quick when there is nothing to do.
   */
  async indexMissing(): Promise<number> {
    let indexed = 0;
    for (;;) {
      const missing = await this.db
        .selectFrom('people as p')
        .leftJoin('person_index as i', 'i.person_id', 'p.id')
        .select(['p.id', 'p.organisation_id'])
        .where('i.person_id', 'is', null)
        .where('p.merged_into_id', 'is', null)
        .limit(1000)
        .execute();
      if (missing.length === 0) return indexed;
      for (const organisationId of new Set(missing.map((m) => m.organisation_id))) {
        await inOrganisation(this.db, organisationId, async (trx) => {
          for (const person of missing.filter((m) => m.organisation_id === organisationId)) await this.reindex(trx, person.id);
        });
      }
      indexed += missing.length;
    }
  }

  /** Adds new people to the name counts, each by their name terms (kit.recordTerms). */
  async addCounts(trx: Trx, organisationId: string, people: readonly NameTerms[]): Promise<void> {
    const given: string[] = [];
    const family: string[] = [];
    for (const terms of people) {
      given.push(...new Set(terms.given));
      family.push(...new Set(terms.family));
    }
    await changeCounts(trx, organisationId, countChanges({ given, family }, 1), people.length);
  }

  /** Ranked candidates for a query, each with its score and the explanation of every field. Audited. */
  async search(who: AuditWho, query: MatchQuery, options: { limit?: number } = {}): Promise<SearchOutcome> {
    const limit = Math.min(Math.max(options.limit ?? 10, 1), 100);
    return inOrganisation(this.db, who.organisationId, async (trx) => {
      const outcome = await this.searchWithin(trx, who.organisationId, query, limit);
      await recordAudit(trx, who, {
        action: 'people.searched',
        recordType: 'person',
        details: { results: outcome.candidates.length, considered: outcome.considered },
      });
      return outcome;
    });
  }

  /** People found by one typed name ("Mia Thompson"), best first: for lists to choose someone from. */
  async findByName(actor: AuditWho, name: string, limit = 20): Promise<{ id: string; name: string; dateOfBirth: string }[]> {
    const outcome = await this.search(actor, splitName(name), { limit });
    return outcome.candidates.map((c) => {
      const primary = c.record.names[0];
      return {
        id: c.personId,
        name: primary ? [primary.given, primary.family].filter(Boolean).join(' ') : '(no name)',
        dateOfBirth: c.record.dateOfBirth ? longDate(c.record.dateOfBirth) : 'date not known',
      };
    });
  }

  /**
   * The search itself, in a transaction already scoped to the organisation (the intake uses this too).
   *
   * In two steps when it can: first the people who share one of the query's specific keys (the two
   * names together, a name with a typo, an identifier, an address); only when none of them is a
   * likely match, everyone who shares a broad key too (the date of birth alone, or one name's sound
   * and the birth year: one or two hundred people each at a million). A search that finds its child
   * in the first step scores tens of people, not hundreds; one that does not scores everyone the
   * keys reach.
   */
  async searchWithin(trx: Trx, organisationId: string, query: MatchQuery, limit: number): Promise<SearchOutcome> {
    const keys = await this.queryKeys(trx, organisationId, query);
    if (keys.length === 0) return { candidates: [], considered: 0, truncated: false };
    const { model, frequencies } = await this.modelAndFrequencies(trx, organisationId, this.kit.queryTerms(query));
    const matcher = this.kit.matcher(model, frequencies);
    const preparedQuery = matcher.prepare(query);
    const specific = keys.filter((key) => !isBroadKey(key));
    if (specific.length > 0 && specific.length < keys.length) {
      const first = await this.rankCandidates(trx, organisationId, specific, matcher, query, preparedQuery, limit);
      const best = first.ranked[0];
      if (best && matcher.comparePrepared(preparedQuery, best.prepared).decision === 'match') return this.explained(trx, first, matcher, preparedQuery);
    }
    return this.explained(trx, await this.rankCandidates(trx, organisationId, keys, matcher, query, preparedQuery, limit), matcher, preparedQuery);
  }

  /** Everyone stored under any of the keys (at most MAX_CANDIDATES), ranked by weight, best `limit` kept. */
  private async rankCandidates(trx: Trx, organisationId: string, keys: readonly string[], matcher: PreparingMatcher, query: MatchQuery, preparedQuery: PreparedRecord, limit: number) {
    // Through a function (migrations 0009, 0010): under row-level security `keys && ...` cannot use
    // the GIN index, and every person of the organisation would be read.
    const rows = (
      await sql<{ person_id: string; record: unknown }>`select person_id, record from person_index_candidates(${organisationId}::uuid, ${sql.val(keys)}::text[], ${MAX_CANDIDATES + 1})`.execute(trx)
    ).rows;
    // Rank every candidate without words, then explain only the few shown. No floor: everyone here
    // shares a key with the query, and the weakest are labelled as weak rather than hidden.
    const ranked = rows
      .slice(0, MAX_CANDIDATES)
      .map((row) => {
        const record: MatchRecord = { ...(row.record as Omit<MatchRecord, 'id'>), id: row.person_id };
        // A query without an address compares no addresses: the candidate's are left unprepared.
        const prepared = matcher.prepare(query.address === undefined ? { ...record, addresses: [] } : record);
        return { record, prepared, weight: matcher.scorePrepared(preparedQuery, prepared).weight };
      })
      .sort((a, b) => b.weight - a.weight)
      .slice(0, limit);
    return { ranked, considered: Math.min(rows.length, MAX_CANDIDATES), truncated: rows.length > MAX_CANDIDATES };
  }

  /** The ranked candidates with their external ids and the explanation of each. */
  private async explained(trx: Trx, found: Awaited<ReturnType<PersonIndexService['rankCandidates']>>, matcher: PreparingMatcher, preparedQuery: PreparedRecord): Promise<SearchOutcome> {
    const { ranked } = found;
    const externalIds = ranked.length
      ? new Map((await trx.selectFrom('people').select(['id', 'external_id']).where('id', 'in', ranked.map((c) => c.record.id)).execute()).map((p) => [p.id, p.external_id]))
      : new Map<string, string | null>();
    const candidates = ranked.map((c) => ({
      personId: c.record.id,
      externalId: externalIds.get(c.record.id) ?? null,
      record: c.record,
      result: matcher.comparePrepared(preparedQuery, c.prepared),
    }));
    return { candidates, considered: found.considered, truncated: found.truncated };
  }

  /**
   * The keys to look up: the query's own, and those of the same query with each name replaced by a
   * known spelling close to it. Blocking keys forgive one slip; a name typed two slips away from
   * the one recorded ("Tomson" for "Thompson") is met through the spellings the index already holds.
   */
  private async queryKeys(trx: Trx, organisationId: string, query: MatchQuery): Promise<string[]> {
    const matcher = this.kit.matcher(DEFAULT_MODEL);
    const keys = new Set(matcher.keysForQuery(query));
    for (const { role, spelling } of await this.similarSpellings(trx, organisationId, query)) {
      for (const key of matcher.keysForQuery({ ...query, [role]: spelling })) keys.add(key);
    }
    return [...keys];
  }

  /**
   * Spellings of the typed names that people in the organisation have, close to the ones typed, in
   * one round trip: for each name, up to five by shared trigrams, and up to five one slip away in the
   * first three letters, where a slip leaves few trigrams in common ("ojhn" and "john" share one of
   * nine).
   */
  private async similarSpellings(trx: Trx, organisationId: string, query: MatchQuery): Promise<{ role: 'given' | 'family'; spelling: string }[]> {
    const typed = (['given', 'family'] as const).flatMap((role) => {
      const folded = query[role] ? nameFrequencyKey(query[role]) : undefined;
      return folded && folded.length >= 3 ? [{ role, folded }] : [];
    });
    if (typed.length === 0) return [];
    // Two slips in a short name share few trigrams ("tomson"/"thompson": 0.23): the function's
    // threshold is low (0.2), then the edit distance decides. A function so that the indexes are
    // used under row-level security (migrations 0009, 0012).
    const lookups = typed.map(
      ({ role, folded }) =>
        sql`select ${role}::text as role, name from person_name_spellings(${organisationId}::uuid, ${role}, ${folded}, ${SPELLINGS_TRIED}, ${sql.val(slipsInFirstLetters(folded))}::text[])`,
    );
    const { rows } = await sql<{ role: 'given' | 'family'; name: string }>`${sql.join(lookups, sql` union all `)}`.execute(trx);
    return rows.flatMap(({ role, name }) => {
      const folded = typed.find((t) => t.role === role)?.folded;
      return folded !== undefined && name !== folded && editDistance(name, folded, 3) <= 2 ? [{ role, spelling: name }] : [];
    });
  }

  /** The organisation's learned model (or the default), its prior set for the people it holds. */
  async modelFor(trx: Trx, organisationId: string): Promise<MatchModel> {
    return (await this.modelAndFrequencies(trx, organisationId, { given: [], family: [] })).model;
  }

  /**
   * Learns the organisation's model from its own people: m by expectation maximisation over the
   * candidate pairs, u from random pairs. At most `maxRecords` people are read (a sample by postcode
   * beyond that, so that people recorded twice, and households, stay together). Nothing is learned
   * from fewer than MIN_PEOPLE_TO_LEARN: the default model serves.
   */
  async learn(trx: Trx, organisationId: string, maxRecords = 200_000): Promise<{ records: number; candidatePairs: number; learned: boolean }> {
    const total = (await trx.selectFrom('person_index').select(sql<number>`count(*)::int`.as('n')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()).n;
    if (total < MIN_PEOPLE_TO_LEARN) return { records: total, candidatePairs: 0, learned: false };
    const modulus = Math.max(1, Math.ceil(total / maxRecords));
    const rows = await trx
      .selectFrom('person_index')
      .select(['person_id', 'record'])
      .where('organisation_id', '=', organisationId)
      .$if(modulus > 1, (q) => q.where(sql<boolean>`abs(hashtext(coalesce(record->'addresses'->0->>'postcode', ''))) % ${modulus} = 0`))
      .limit(maxRecords)
      .execute();
    const records = rows.map((r) => ({ ...(r.record as unknown as Omit<MatchRecord, 'id'>), id: r.person_id }));
    if (records.length < 2) return { records: records.length, candidatePairs: 0, learned: false };
    const learned = estimateModel({ records, seed: 1 });
    const values = { model: JSON.stringify(learned.model), learned_at: new Date(), records: records.length, candidate_pairs: learned.candidatePairs };
    await trx
      .insertInto('matching_models')
      .values({ organisation_id: organisationId, ...values })
      .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values))
      .execute();
    return { records: records.length, candidatePairs: learned.candidatePairs, learned: true };
  }

  /** Every name's frequency in the organisation (for comparing records with records, in bulk). */
  async allFrequencies(trx: Trx, organisationId: string): Promise<NameFrequencies> {
    return frequenciesFrom(await trx.selectFrom('person_name_counts').select(['kind', 'name', 'people']).where('organisation_id', '=', organisationId).execute());
  }

  /**
   * The organisation's model (its prior set for the people it holds) and the frequencies of the
   * query's names, in one round trip: the model's row comes back beside the name counts.
   */
  private async modelAndFrequencies(trx: Trx, organisationId: string, terms: NameTerms): Promise<{ model: MatchModel; frequencies: NameFrequencies }> {
    const kinds = ['total', ...terms.given.map(() => 'given'), ...terms.family.map(() => 'family')];
    const names = ['', ...terms.given, ...terms.family];
    const { rows } = await sql<{ kind: string; name: string; people: number; model: MatchModel | null }>`
      select c.kind, c.name, c.people, null::jsonb as model from person_name_counts c
      join unnest(${sql.val(kinds)}::text[], ${sql.val(names)}::text[]) as w(kind, name) on w.kind = c.kind and w.name = c.name
      where c.organisation_id = ${organisationId}
      union all
      select 'model', '', 0, m.model from matching_models m where m.organisation_id = ${organisationId}`.execute(trx);
    const model = withPopulation(rows.find((r) => r.kind === 'model')?.model ?? DEFAULT_MODEL, totalOf(rows));
    return { model, frequencies: frequenciesFrom(rows) };
  }
}

interface NameCount {
  readonly kind: string;
  readonly name: string;
  readonly people: number;
}

/** The number of people indexed: the 'total' row of the name counts. */
function totalOf(rows: readonly NameCount[]): number {
  return rows.find((r) => r.kind === 'total')?.people ?? 0;
}

/** Each name's share of the people indexed, from name counts (with their 'total' row); none below MIN_PEOPLE_FOR_FREQUENCIES. */
function frequenciesFrom(rows: readonly NameCount[]): NameFrequencies {
  const total = totalOf(rows);
  const counts = new Map(rows.map((r) => [`${r.kind}|${r.name}`, r.people]));
  const share = (kind: string, name: string) => (total < MIN_PEOPLE_FOR_FREQUENCIES ? undefined : (counts.get(`${kind}|${name}`) ?? 0) / total);
  return { given: (name) => share('given', name), family: (name) => share('family', name) };
}

type CountChange = { kind: 'given' | 'family'; name: string; change: number };

/** Each name's change in count: +sign for every time it appears in the terms (names already unique per person). */
function countChanges(terms: NameTerms, sign: 1 | -1, into = new Map<string, CountChange>()): Map<string, CountChange> {
  for (const kind of ['given', 'family'] as const) {
    for (const name of terms[kind]) {
      const key = `${kind}|${name}`;
      const entry = into.get(key) ?? { kind, name, change: 0 };
      entry.change += sign;
      into.set(key, entry);
    }
  }
  return into;
}

/** Moves the name counts from one person's names to their new ones (and the total by `totalChange`). */
async function adjustCounts(trx: Trx, organisationId: string, before: NameTerms, after: NameTerms, totalChange: number): Promise<void> {
  const unique = (t: NameTerms): NameTerms => ({ given: [...new Set(t.given)], family: [...new Set(t.family)] });
  const changes = countChanges(unique(after), 1, countChanges(unique(before), -1));
  await changeCounts(trx, organisationId, changes, totalChange);
}

async function changeCounts(trx: Trx, organisationId: string, changes: Map<string, CountChange>, totalChange: number): Promise<void> {
  const all = [...changes.values()];
  if (totalChange !== 0) all.push({ kind: 'total' as 'given', name: '', change: totalChange });
  const increments = all.filter((c) => c.change > 0);
  const decrements = all.filter((c) => c.change < 0);
  if (increments.length > 0) {
    await sql`insert into person_name_counts (organisation_id, kind, name, people)
              select ${organisationId}::uuid, kind, name, amount
              from unnest(${increments.map((c) => c.kind)}::text[], ${increments.map((c) => c.name)}::text[], ${increments.map((c) => c.change)}::int[]) as d(kind, name, amount)
              on conflict (organisation_id, kind, name) do update set people = person_name_counts.people + excluded.people`.execute(trx);
  }
  if (decrements.length > 0) {
    await sql`update person_name_counts as c set people = greatest(c.people - d.amount, 0)
              from unnest(${decrements.map((d) => d.kind)}::text[], ${decrements.map((d) => d.name)}::text[], ${decrements.map((d) => -d.change)}::int[]) as d(kind, name, amount)
              where c.organisation_id = ${organisationId} and c.kind = d.kind and c.name = d.name`.execute(trx);
  }
}
