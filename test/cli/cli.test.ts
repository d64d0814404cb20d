import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { connect, type HearthDatabase } from '../../src/db/connect.ts';
import { findApiTokenOwner } from '../../src/platform/auth/api-tokens.ts';
import { projectRoot } from '../../src/platform/views/assets.ts';
import { withDatabase } from '../support/engines.ts';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real command, `node bin/hearth.mjs ...`, as an operator would. */
function hearth(args: readonly string[], env: Record<string, string>): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS', 'HEARTH_DATA_DIR']) delete base[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(projectRoot, 'bin/hearth.mjs'), ...args],
      { cwd: projectRoot, env: { ...base, NODE_ENV: 'test', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface Target {
  readonly name: string;
  readonly env: Record<string, string>;
  /** Opens the same database the command uses; close it before the next command (PGlite serves one process). */
  open(): Promise<HearthDatabase>;
  remove(): Promise<void>;
}

function pgliteTarget(): Target {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-cli-'));
  return {
    name: 'pglite',
    env: { HEARTH_DATA_DIR: dir },
    open: () => connect({ engine: 'pglite', dataDir: dir }),
    remove: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
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

async function postgresTarget(serverUrl: string): Promise<Target> {
  const name = `hearth_cli_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = withDatabase(serverUrl, name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-cli-unused-'));
  return {
    name: 'postgres',
    // HEARTH_DATA_DIR points at an empty folder that must stay empty: DATABASE_URL wins.
    env: { DATABASE_URL: url, HEARTH_DATA_DIR: dir },
    open: () => connect({ engine: 'postgres', url }),
    remove: async () => {
      assert.deepEqual(fs.readdirSync(dir), [], 'the embedded database was not touched');
      fs.rmSync(dir, { recursive: true, force: true });
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

const serverUrl = process.env.TEST_DATABASE_URL;
const targets: { name: string; make: () => Promise<Target> }[] = [
  { name: 'pglite', make: async () => pgliteTarget() },
  ...(serverUrl ? [{ name: 'postgres', make: () => postgresTarget(serverUrl) }] : []),
];

for (const { name, make } of targets) {
  describe(`the hearth command [${name}]`, () => {
    let target: Target;
    const email = `cli-${process.pid}@test.hearth.example`;
    const run = (...args: string[]) => hearth(args, target.env);

    before(async () => {
      target = await make();
    });
    after(() => target.remove());

    it('migrate creates the schema and exits 0', async () => {
      const result = await run('migrate');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`Database \\(${target.name}\\) is at the newest schema`));
    });

    it('seed-demo is refused when NODE_ENV=production', async () => {
      const result = await hearth(['seed-demo'], { ...target.env, NODE_ENV: 'production' });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Demo data is never seeded when NODE_ENV=production/);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      const database = await target.open();
      try {
        assert.equal((await database.db.selectFrom('organisations').select('id').execute()).length, 0, 'nothing was seeded');
      } finally {
        await database.close();
      }
    });

    it('seed-demo adds the demo organisations and exits 0', async () => {
      const result = await run('seed-demo');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Seeded the demo organisations/);
    });

    it('user create adds a caseworker to the demo organisation', async () => {
      const result = await run('user', 'create', '--email', email, '--name', 'Cleo Line', '--role', 'caseworker', '--organisation', 'demo');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`User ${email} created as caseworker in demo\\. Password: \\S{12,}`));
    });

    it('user create refuses a role that does not exist, with the usage text and exit code 2', async () => {
      const result = await run('user', 'create', '--email', 'wizard@test.hearth.example', '--name', 'W', '--role', 'wizard');
      assert.equal(result.code, 2);
      assert.match(result.stderr, /--role must be one of helpline_worker, caseworker/);
      assert.match(result.stderr, /Usage: hearth <command>/);
    });

    it('token create prints a bearer token that authenticates as that user', async () => {
      const result = await run('token', 'create', '--user', email);
      assert.equal(result.code, 0, result.stderr);
      const token = result.stdout.trim();
      assert.match(token, /^hearth_[A-Za-z0-9_-]{40,}$/);
      const database = await target.open();
      try {
        const owner = await findApiTokenOwner(database.db, token);
        const user = await database.db.selectFrom('users').select(['id', 'organisation_id']).where('email', '=', email).executeTakeFirstOrThrow();
        assert.equal(owner?.userId, user.id);
        assert.equal(owner?.role, 'caseworker');
        assert.equal(owner?.displayName, 'Cleo Line');
        assert.equal(await findApiTokenOwner(database.db, `${token.slice(0, -1)}x`), undefined, 'a changed token does not');
      } finally {
        await database.close();
      }
    });

    it('audit verify passes the seeded database', async () => {
      const result = await run('audit', 'verify');
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /demo: intact \([1-9]\d* rows\)/);
      assert.match(result.stdout, /Audit trail intact\./);
    });

    it('audit verify fails after one audit row is altered, naming that row', async () => {
      const database = await target.open();
      let rowId: string;
      try {
        rowId = await database.db.transaction().execute(async (trx) => {
          await sql`alter table audit_events disable trigger audit_events_append_only`.execute(trx);
          const row = await trx
            .selectFrom('audit_events as a')
            .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
            .select('a.id')
            .where('o.slug', '=', 'demo')
            .where('a.seq', '=', 2)
            .executeTakeFirstOrThrow();
          await trx.updateTable('audit_events').set({ action: 'person.forgotten' }).where('id', '=', row.id).execute();
          await sql`alter table audit_events enable trigger audit_events_append_only`.execute(trx);
          return row.id;
        });
      } finally {
        await database.close();
      }
      const result = await run('audit', 'verify');
      assert.equal(result.code, 1);
      assert.match(result.stdout, new RegExp(`demo: BROKEN after 1 good rows: row ${rowId} \\(seq 2\\) was altered`));
      assert.match(result.stdout, /Audit trail BROKEN/);
    });
  });
}

describe('the hearth calendar commands (no database)', () => {
  const dataDir = path.join(os.tmpdir(), `hearth-calendar-cli-${process.pid}`);
  const calendar = (...args: string[]) => hearth(['calendar', ...args], { HEARTH_DATA_DIR: dataDir });

  it('add-working-days prints the date N working days later, around Easter and Christmas', async () => {
    for (const [date, n, expected] of [['2025-04-17', '1', '2025-04-22'], ['2021-12-24', '1', '2021-12-29'], ['2026-12-31', '1', '2027-01-04'], ['2026-11-27', '0', '2026-11-27']]) {
      const result = await calendar('add-working-days', '--pack', 'nsw', date!, n!);
      assert.deepEqual([result.code, result.stdout, result.stderr], [0, `${expected}\n`, ''], `${date} + ${n}`);
    }
    assert.equal(fs.existsSync(dataDir), false, 'no database was opened or made');
  });

  it('takes the pack from HEARTH_PRACTICE_PACK when --pack is not given', async () => {
    const result = await hearth(['calendar', 'add-working-days', '2025-04-17', '1'], { HEARTH_DATA_DIR: dataDir, HEARTH_PRACTICE_PACK: 'nsw' });
    assert.deepEqual([result.code, result.stdout], [0, '2025-04-22\n']);
  });

  it('holidays lists a year of public holidays with their additional days', async () => {
    const result = await calendar('holidays', '--pack', 'nsw', '2027');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^2027-12-27 +Monday +Christmas Day \(additional day\)$/m);
    assert.equal(result.stdout.trim().split('\n').length, 13);
  });

  it('answers bad input with a usage message and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['add-working-days', '--pack', 'nsw', '2026-02-30', '1'], /2026-02-30 is not a date as YYYY-MM-DD/],
      [['add-working-days', '--pack', 'nsw', '2026-01-01', 'ten'], /N must be a whole number of working days from 0 to 10000/],
      [['add-working-days', '--pack', 'nsw', '2026-01-01'], /N must be a whole number/],
      [['add-working-days', '--pack', 'atlantis', '2026-01-01', '1'], /There is no practice pack "atlantis"/],
      [['add-working-days', '2026-01-01', '1'], /--pack is required/], // HEARTH_PRACTICE_PACK is not set here
      [['add-working-days', '--pack', 'nsw', '2200-12-30', '5'], /past the end of 2200/],
      [['holidays', '--pack', 'nsw', '99'], /A year from 1900 to 2200 is required/],
    ];
    for (const [args, message] of cases) {
      const result = await calendar(...args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
  });
});
