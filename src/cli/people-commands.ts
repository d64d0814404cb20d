import fs from 'node:fs';
import path from 'node:path';
import { inOrganisation } from '../db/tenancy.ts';
import { generatePeople, importRowOf } from '../features/person-index/generate/generate-people.ts';
import { PEOPLE_CSV_HEADER, toCsvLine } from '../features/person-index/import/people-csv-format.ts';
import { writeCsvFile } from '../features/person-index/import/csv-file.ts';
import { PeopleCsvHeaderError, readPeopleCsv, type PeopleCsvItem } from '../features/person-index/import/read-people-csv.ts';
import { openRejectionsFile } from '../features/person-index/import/write-rejections.ts';
import { toMatchQuery } from '../features/person-index/search-query.ts';
import { searchFieldsSchema } from '../features/person-index/search-query.ts';
import { createPeopleServices } from '../services.ts';
import { systemClock } from '../platform/clock.ts';
import { isoDateIn } from '../platform/time.ts';
import { commandLineWho, options, organisationFor, UsageError, wholeNumberOption, type Command, type CommandContext } from './command.ts';

function servicesOf(context: CommandContext) {
  return createPeopleServices(context.database.db, systemClock, context.config.timeZone);
}

function today(context: CommandContext): string {
  return isoDateIn(context.config.timeZone, new Date());
}

/** `hearth people search --given G --family F [--dob YYYY-MM-DD] [--limit N] [--json]` */
const search: Command = async (context) => {
  const { values } = options(context.args, {
    given: { type: 'string' },
    family: { type: 'string' },
    dob: { type: 'string' },
    sex: { type: 'string' },
    postcode: { type: 'string' },
    suburb: { type: 'string' },
    identifier: { type: 'string' },
    limit: { type: 'string' },
    organisation: { type: 'string' },
    json: { type: 'boolean' },
  });
  const parsed = searchFieldsSchema.safeParse({
    ...(values.given !== undefined ? { given: values.given } : {}),
    ...(values.family !== undefined ? { family: values.family } : {}),
    ...(values.dob !== undefined ? { dateOfBirth: values.dob } : {}),
    ...(values.sex !== undefined ? { sex: values.sex } : {}),
    ...(values.postcode !== undefined ? { postcode: values.postcode } : {}),
    ...(values.suburb !== undefined ? { suburb: values.suburb } : {}),
    ...(values.identifier !== undefined ? { identifier: values.identifier } : {}),
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'search'}: ${i.message}`).join('; '));
  const limit = wholeNumberOption(values.limit, 'limit', 10, 100);
  const organisation = await organisationFor(context.database, values.organisation);
  const outcome = await servicesOf(context).personIndex.search(commandLineWho(organisation.id), toMatchQuery(parsed.data, today(context)), { limit });
  const results = outcome.candidates.map((c) => ({
    person_id: c.personId,
    external_id: c.externalId,
    name: c.record.names[0] ? `${c.record.names[0].given} ${c.record.names[0].family}`.trim() : '',
    date_of_birth: c.record.dateOfBirth,
    score: Math.round(c.result.weight * 100) / 100,
    probability: Math.round(c.result.probability * 10_000) / 10_000,
    decision: c.result.decision,
    explanation: c.result.comparisons.map((x) => ({ field: x.field, level: x.level, weight: Math.round(x.weight * 100) / 100, text: x.explanation })),
  }));
  if (values.json) {
    context.out(JSON.stringify(results, null, 2));
  } else {
    if (results.length === 0) context.out('Nobody matches.');
    for (const r of results) {
      context.out(`${r.score.toFixed(1).padStart(6)}  ${r.decision.padEnd(9)} ${r.name} (${r.date_of_birth ?? 'date of birth not known'})${r.external_id ? ` [${r.external_id}]` : ''}`);
      for (const e of r.explanation) context.out(`          ${e.weight >= 0 ? '+' : ''}${e.weight.toFixed(1).padStart(5)}  ${e.text}`);
    }
    if (outcome.truncated) context.err('Many people share these details: not all were compared. Add more to narrow the search.');
  }
  return 0;
};

/** `hearth people import FILE.csv [--rejected PATH]` */
const importPeople: Command = async (context) => {
  const { values, positionals } = options(context.args, { organisation: { type: 'string' }, rejected: { type: 'string' }, 'batch-size': { type: 'string' } }, 1);
  const file = positionals[0];
  if (!file) throw new UsageError('Name the CSV file to import: hearth people import FILE.csv');
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`No such file: ${file}`);
  const rejectedPath = values.rejected ?? path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.rejected.csv`);
  const organisation = await organisationFor(context.database, values.organisation);
  const size = fs.statSync(file).size;
  let bytesRead = 0;
  const started = Date.now();
  const rejections = await openRejectionsFile(rejectedPath);
  const items: AsyncIterable<PeopleCsvItem> = readPeopleCsv(file, { today: today(context), onProgress: (bytes) => (bytesRead = bytes) });
  try {
    const stats = await servicesOf(context).importer.import(commandLineWho(organisation.id), items, {
      batchSize: wholeNumberOption(values['batch-size'], 'batch-size', 5000, 50_000),
      onRejected: (rejection) => rejections.write(rejection),
      onProgress: (s) => {
        const seconds = (Date.now() - started) / 1000;
        const percent = size > 0 ? Math.floor((bytesRead / size) * 100) : 100;
        context.progress(`Importing: ${percent}%  ${s.read.toLocaleString('en-AU')} rows read, ${s.created.toLocaleString('en-AU')} added, ${s.updated.toLocaleString('en-AU')} updated, ${s.rejected.toLocaleString('en-AU')} rejected  (${Math.round(s.read / Math.max(seconds, 0.001)).toLocaleString('en-AU')} rows/s)`);
      },
    });
    context.progress('');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    context.out(
      `Imported ${file} into ${organisation.slug} in ${seconds} s: ${stats.read} rows read, ${stats.created} added, ${stats.updated} updated, ${stats.unchanged} unchanged, ${stats.rejected} rejected.`,
    );
    if (stats.rejected > 0) context.out(`Rejected rows, with their line numbers and reasons: ${rejectedPath}`);
    return 0;
  } catch (error) {
    if (error instanceof PeopleCsvHeaderError) throw new UsageError(error.message);
    throw error;
  } finally {
    await rejections.close();
    // No rejections: no empty file left behind to puzzle over.
    if (fs.existsSync(rejectedPath) && fs.readFileSync(rejectedPath, 'utf8').trim().split('\n').length <= 1) fs.rmSync(rejectedPath);
  }
};

/** `hearth people duplicates [--out pairs.csv]` */
const duplicates: Command = async (context) => {
  const { values } = options(context.args, { organisation: { type: 'string' }, out: { type: 'string' } });
  const organisation = await organisationFor(context.database, values.organisation);
  context.progress('Learning the matching model from the index...');
  const outcome = await servicesOf(context).finder.find(commandLineWho(organisation.id), {
    onProgress: (done, total) => context.progress(`Scoring candidate pairs: ${done.toLocaleString('en-AU')} of ${total.toLocaleString('en-AU')}`),
  });
  context.progress('');
  if (values.out) {
    const lines = outcome.found.map((p) =>
      [p.externalIdA ?? p.personAId, p.externalIdB ?? p.personBId, p.result.weight.toFixed(3), p.result.decision].map(csvField).join(','),
    );
    await writeCsvFile(values.out, 'external_id_a,external_id_b,score,decision', lines);
  }
  const matches = outcome.found.filter((p) => p.result.decision === 'match').length;
  context.out(
    `Compared ${outcome.pairsCompared} candidate pairs in ${organisation.slug}: ${matches} likely and ${outcome.found.length - matches} possible duplicates; ${outcome.queued} in the review queue.${values.out ? ` Pairs written to ${values.out}.` : ''}`,
  );
  if (outcome.truncated) context.err('There were more candidate pairs than one run compares: run it again after reviewing these.');
  return 0;
};

/** `hearth people reindex`: rebuilds every person's index entry and learns the matching model. */
const reindex: Command = async (context) => {
  const { values } = options(context.args, { organisation: { type: 'string' } });
  const organisation = await organisationFor(context.database, values.organisation);
  const { personIndex } = servicesOf(context);
  const count = await personIndex.reindexAll(organisation.id, (done, total) => context.progress(`Reindexing: ${done} of ${total}`));
  context.progress('');
  const learned = await inOrganisation(context.database.db, organisation.id, (trx) => personIndex.learn(trx, organisation.id));
  context.out(
    learned.learned
      ? `Reindexed ${count} people in ${organisation.slug}; learned the matching model from ${learned.records} people (${learned.candidatePairs} candidate pairs).`
      : `Reindexed ${count} people in ${organisation.slug}; too few people to learn a matching model from: the default model serves.`,
  );
  return 0;
};

/** `hearth generate people --count N [--seed S] [--csv FILE]` */
const generate: Command = async (context) => {
  const { values } = options(context.args, { count: { type: 'string' }, seed: { type: 'string' }, organisation: { type: 'string' }, csv: { type: 'string' } });
  const count = wholeNumberOption(values.count, 'count', 0, 10_000_000);
  if (count === 0) throw new UsageError('--count is required');
  const seed = values.seed === undefined ? 1 : wholeNumberOption(values.seed, 'seed', 1, 2_147_483_647);
  const people = generatePeople({ count, seed, referenceDate: today(context) });
  if (values.csv) {
    await writeCsvFile(values.csv, PEOPLE_CSV_HEADER, (function* () {
      for (const person of people) yield toCsvLine(person);
    })());
    context.out(`Wrote ${count} synthetic people to ${values.csv} (seed ${seed}).`);
    return 0;
  }
  const organisation = await organisationFor(context.database, values.organisation);
  const started = Date.now();
  const items = (async function* (): AsyncGenerator<PeopleCsvItem> {
    let line = 1;
    for (const person of people) {
      line++;
      yield {
        kind: 'row',
        line,
        row: importRowOf(person),
      };
    }
  })();
  const stats = await servicesOf(context).importer.import(commandLineWho(organisation.id), items, {
    onRejected: (r) => context.err(`line ${r.line}: ${r.reason}`),
    onProgress: (s) => context.progress(`Generating: ${s.read.toLocaleString('en-AU')} of ${count.toLocaleString('en-AU')}`),
  });
  context.progress('');
  context.out(`Created ${stats.created} synthetic people in ${organisation.slug} (seed ${seed}, ${stats.updated} updated) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 0;
};

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const PEOPLE_COMMANDS: Record<string, Command> = {
  'people search': search,
  'people import': importPeople,
  'people duplicates': duplicates,
  'people reindex': reindex,
  'generate people': generate,
};

export const PEOPLE_USAGE = `  people search --given G --family F [--dob YYYY-MM-DD] [--limit N] [--json]
                                            find people, best match first, with why each matches
  people import FILE.csv [--rejected PATH]  import people (external_id,given_name,family_name,date_of_birth,sex,
                                            identifier,street,suburb,postcode,state); rejected rows go to a file
  people duplicates [--out pairs.csv]       find likely duplicates across the index and queue them for review
  people reindex                            rebuild the person index and learn the matching model
  generate people --count N [--seed S] [--csv FILE]
                                            create N synthetic people (or write them to a CSV file)
  (people and generate commands act in --organisation S, or in the "default" organisation, created if missing)`;
