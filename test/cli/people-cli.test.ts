import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { connect, type HearthDatabase } from '../../src/db/connect.ts';
import { generatePeople } from '../../src/features/person-index/generate/generate-people.ts';
import { PEOPLE_CSV_HEADER } from '../../src/features/person-index/import/people-csv-format.ts';
import { isoDateIn } from '../../src/platform/time.ts';
import { projectRoot } from '../../src/platform/views/assets.ts';
import { withDatabase } from '../support/engines.ts';
import { assertIndexInStep } from '../support/person-index.ts';

/**
 * The people commands' contracts, as integrations and checks use them: the real command
 * (`node bin/hearth.mjs`) on a fresh database, embedded or PostgreSQL.
 */

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function hearth(args: readonly string[], env: Record<string, string>): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS', 'HEARTH_DATA_DIR']) delete base[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(projectRoot, 'bin/hearth.mjs'), ...args],
      { cwd: projectRoot, env: { ...base, NODE_ENV: 'test', ...env }, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

interface Target {
  readonly env: Record<string, string>;
  /** The database the command uses; close it before the next command (PGlite serves one process at a time). */
  open(): Promise<HearthDatabase>;
  remove(): Promise<void>;
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const serverUrl = process.env.TEST_DATABASE_URL;
const targets: { name: string; make: () => Promise<Target> }[] = [
  {
    name: 'pglite',
    make: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-people-cli-'));
      return { env: { HEARTH_DATA_DIR: dir }, open: () => connect({ engine: 'pglite', dataDir: dir }), remove: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  },
  ...(serverUrl
    ? [
        {
          name: 'postgres',
          make: async (): Promise<Target> => {
            const name = `hearth_people_cli_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
            await adminQuery(serverUrl, `create database ${name}`); // empty: the first command migrates it
            const url = withDatabase(serverUrl, name);
            const unused = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-people-cli-unused-'));
            return {
              env: { DATABASE_URL: url, HEARTH_DATA_DIR: unused },
              open: () => connect({ engine: 'postgres', url }),
              remove: async () => {
                assert.deepEqual(fs.readdirSync(unused), [], 'the embedded database was not touched');
                fs.rmSync(unused, { recursive: true, force: true });
                await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
              },
            };
          },
        },
      ]
    : []),
];

interface SearchResult {
  readonly person_id: string;
  readonly external_id: string | null;
  readonly name: string;
  readonly score: number;
  readonly decision: string;
  readonly explanation: readonly { field: string; level: string; weight: number; text: string }[];
}

for (const { name, make } of targets) {
  describe(`hearth people commands [${name}]`, () => {
    let target: Target;
    let work: string;
    const run = (...args: string[]) => hearth(args, target.env);
    /** Opens the command's database, does `check`, and closes it again. */
    const inDatabase = async <T>(check: (database: HearthDatabase) => Promise<T>): Promise<T> => {
      const database = await target.open();
      try {
        return await check(database);
      } finally {
        await database.close();
      }
    };
    const organisationId = (database: HearthDatabase, slug: string) =>
      database.db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirst().then((o) => o?.id);
    const peopleOf = (database: HearthDatabase, id: string) =>
      database.db.selectFrom('people').select(['external_id', 'given_names', 'family_name', 'date_of_birth', 'sex']).where('organisation_id', '=', id).orderBy('external_id').execute();

    before(async () => {
      target = await make();
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-people-cli-files-'));
    });
    after(async () => {
      await target.remove();
      fs.rmSync(work, { recursive: true, force: true });
    });

    it('generate people creates N people in the default organisation (created, and the database migrated, on first use)', async () => {
      const result = await run('generate', 'people', '--count', '40', '--seed', '3');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Created 40 synthetic people in default \(seed 3, 0 updated\) in [\d.]+ s\.\n$/);
      await inDatabase(async (database) => {
        const id = await organisationId(database, 'default');
        assert.ok(id, 'the default organisation was created');
        const people = await peopleOf(database, id);
        assert.equal(people.length, 40);
        // The same people the generator makes for that seed, on the day the command ran.
        const today = isoDateIn(loadConfig({ NODE_ENV: 'test' }).timeZone, new Date());
        const expected = [...generatePeople({ count: 40, seed: 3, referenceDate: today })].map((p) => ({
          external_id: p.external_id,
          given_names: p.given_name,
          family_name: p.family_name,
          date_of_birth: p.date_of_birth || null,
          sex: p.sex || 'not_recorded',
        }));
        assert.deepEqual(people, expected.sort((a, b) => a.external_id.localeCompare(b.external_id)));
        await assertIndexInStep(database, id);
        const imported = await database.db.selectFrom('audit_events').select('id').where('organisation_id', '=', id).where('action', '=', 'person.imported').execute();
        assert.equal(imported.length, 40);
        // For the next test: another organisation to generate into.
        await database.db.insertInto('organisations').values({ slug: 'second', name: 'Second organisation' }).execute();
      });
    });

    it('generate people with the same seed gives the same people, in the organisation --organisation names', async () => {
      const result = await run('generate', 'people', '--count', '40', '--seed', '3', '--organisation', 'second');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Created 40 synthetic people in second \(seed 3/);
      await inDatabase(async (database) => {
        const [first, second] = await Promise.all([organisationId(database, 'default'), organisationId(database, 'second')]);
        assert.deepEqual(await peopleOf(database, second!), await peopleOf(database, first!));
        const addressesOf = (id: string) =>
          database.db
            .selectFrom('person_addresses as a')
            .innerJoin('people as p', 'p.id', 'a.person_id')
            .select(['p.external_id', 'a.line1', 'a.suburb', 'a.postcode', 'a.state'])
            .where('p.organisation_id', '=', id)
            .orderBy('p.external_id')
            .execute();
        assert.deepEqual(await addressesOf(second!), await addressesOf(first!));
      });
    });

    it('refuses an organisation that does not exist, as a usage error (exit 2), creating nothing', async () => {
      const result = await run('generate', 'people', '--count', '5', '--organisation', 'nosuch');
      assert.equal(result.code, 2);
      assert.match(result.stderr, /No organisation with slug nosuch/);
      assert.match(result.stderr, /Usage: hearth <command>/);
      assert.equal(result.stdout, '');
      await inDatabase(async (database) => assert.equal(await organisationId(database, 'nosuch'), undefined));
    });

    it('people import imports the good rows, writes the rejected ones with line and reason to the file it names, and prints a summary', async () => {
      const file = path.join(work, 'children.csv');
      fs.writeFileSync(
        file,
        [
          PEOPLE_CSV_HEADER,
          'C1,Catherine,Smith,2015-03-04,female,2123 45670 1,12 High Street,Orange,2800,NSW',
          'C2,Ren,Ito,2011-02-30,,,,,,',
          'C3,Katie,Smith,2015-03-04,female,,12 High Street,Orange,2800,NSW',
          'C4,"Broken,Quote,,,,,,,',
          'C5,Liam,Walsh,2012-01-02,male,,3 Old Mill Road,Bathurst,2795,NSW',
          ',No,Id,,,,,,,',
          '',
        ].join('\n'),
      );
      const result = await run('people', 'import', file);
      assert.equal(result.code, 0, result.stderr);
      const rejectedFile = path.join(work, 'children.rejected.csv');
      assert.match(result.stdout, /^Imported .*children\.csv into default in [\d.]+ s: 6 rows read, 3 added, 0 updated, 0 unchanged, 3 rejected\.$/m);
      assert.ok(result.stdout.includes(`Rejected rows, with their line numbers and reasons: ${rejectedFile}`));
      assert.equal(
        fs.readFileSync(rejectedFile, 'utf8'),
        ['line,reason,raw', "3,date_of_birth '2011-02-30' is not a real date,\"C2,Ren,Ito,2011-02-30,,,,,,\"", '5,unterminated quote,"C4,""Broken,Quote,,,,,,,"', '7,external_id is empty,",No,Id,,,,,,,"', ''].join('\n'),
      );
      await inDatabase(async (database) => {
        const id = (await organisationId(database, 'default'))!;
        const imported = (await peopleOf(database, id)).filter((p) => p.external_id?.startsWith('C'));
        assert.deepEqual(imported.map((p) => [p.external_id, p.given_names, p.family_name]), [
          ['C1', 'Catherine', 'Smith'],
          ['C3', 'Katie', 'Smith'],
          ['C5', 'Liam', 'Walsh'],
        ]);
        await assertIndexInStep(database, id);
      });
    });

    it('people import of the same external ids updates them, never duplicates, and leaves no empty rejections file', async () => {
      const file = path.join(work, 'children-again.csv');
      const rejected = path.join(work, 'again-rejected.csv');
      fs.writeFileSync(file, [PEOPLE_CSV_HEADER, 'C5,Liam,Walsh-Byrne,,,,,,,', 'C1,Catherine,Smith,2015-03-04,female,,,,,', ''].join('\n'));
      const result = await run('people', 'import', file, '--rejected', rejected);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /: 2 rows read, 0 added, 1 updated, 1 unchanged, 0 rejected\.\n$/);
      assert.equal(fs.existsSync(rejected), false);
      await inDatabase(async (database) => {
        const id = (await organisationId(database, 'default'))!;
        const liam = await database.db.selectFrom('people').select(['family_name', 'date_of_birth']).where('organisation_id', '=', id).where('external_id', '=', 'C5').execute();
        assert.deepEqual(liam, [{ family_name: 'Walsh-Byrne', date_of_birth: '2012-01-02' }]);
      });
    });

    it('people search --json prints a JSON array of candidates, best first, each with external_id, score and explanation', async () => {
      const result = await run('people', 'search', '--given', 'Kathryn', '--family', 'Smyth', '--dob', '2015-03-04', '--limit', '3', '--json');
      assert.equal(result.code, 0, result.stderr);
      const results = JSON.parse(result.stdout) as SearchResult[];
      assert.ok(Array.isArray(results) && results.length >= 2 && results.length <= 3);
      assert.equal(results[0]?.external_id, 'C1');
      assert.equal(results[0]?.name, 'Catherine Smith');
      assert.ok(results.some((r) => r.external_id === 'C3'), 'her near-duplicate too');
      const scores = results.map((r) => r.score);
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best first');
      for (const r of results) {
        assert.equal(typeof r.score, 'number');
        assert.ok(r.explanation.length > 0);
        for (const line of r.explanation) {
          assert.deepEqual(Object.keys(line).sort(), ['field', 'level', 'text', 'weight']);
          assert.equal(typeof line.weight, 'number');
        }
      }
      const texts = (results[0]?.explanation ?? []).map((e) => e.text);
      assert.ok(texts.includes('Date of birth: 4/3/2015 agrees'), texts.join(' | '));
      assert.ok(texts.some((t) => /^Family name: "Smyth" .*"Smith"/.test(t)), texts.join(' | '));
    });

    it('people search finds a person by an identifier typed as it is printed on the card', async () => {
      const result = await run('people', 'search', '--identifier', '2123 45670 1', '--json');
      assert.equal(result.code, 0, result.stderr);
      const results = JSON.parse(result.stdout) as SearchResult[];
      assert.equal(results[0]?.external_id, 'C1');
      assert.ok(results[0]?.explanation.some((e) => e.field === 'identifier' && e.level === 'exact'));
    });

    it("people search --organisation searches only that organisation's people", async () => {
      const result = await run('people', 'search', '--given', 'Catherine', '--family', 'Smith', '--dob', '2015-03-04', '--json', '--organisation', 'second');
      assert.equal(result.code, 0, result.stderr);
      const results = JSON.parse(result.stdout) as SearchResult[];
      assert.ok(!results.some((r) => r.external_id === 'C1' || r.external_id === 'C3'));
    });

    it('people search with nothing to search by is a usage error (exit 2)', async () => {
      const result = await run('people', 'search', '--json');
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Enter a name, a date of birth or an identifier/);
      assert.equal(result.stdout, '');
    });

    it('people duplicates --out writes every pair found, with header external_id_a,external_id_b,score,decision', async () => {
      const out = path.join(work, 'pairs.csv');
      const result = await run('people', 'duplicates', '--out', out);
      assert.equal(result.code, 0, result.stderr);
      const summary = /^Compared (\d+) candidate pairs in default: (\d+) likely and (\d+) possible duplicates; (\d+) in the review queue\. Pairs written to (.+)\.\n$/.exec(result.stdout);
      assert.ok(summary, result.stdout);
      assert.equal(summary[5], out);
      const [header, ...lines] = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
      assert.equal(header, 'external_id_a,external_id_b,score,decision');
      assert.equal(lines.length, Number(summary[2]) + Number(summary[3]));
      const rows = lines.map((line) => line.split(','));
      for (const row of rows) {
        assert.equal(row.length, 4, row.join(','));
        assert.ok(row[3] === 'match' || row[3] === 'possible', row.join(','));
        assert.match(row[2] ?? '', /^-?\d+\.\d{3}$/);
      }
      assert.equal(rows.filter((r) => r[3] === 'match').length, Number(summary[2]));
      const scores = rows.map((r) => Number(r[2]));
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best first');
      const catherine = rows.find((r) => [r[0], r[1]].sort().join('|') === 'C1|C3');
      assert.equal(catherine?.[3], 'match', 'Katie Smith is Catherine Smith recorded twice');
      await inDatabase(async (database) => {
        const id = (await organisationId(database, 'default'))!;
        const queued = await database.db.selectFrom('duplicate_candidates').select('status').where('organisation_id', '=', id).execute();
        assert.equal(queued.length, Number(summary[4]));
        assert.ok(queued.every((q) => q.status === 'pending'));
      });
    });
  });
}
