import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connect, type HearthDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { projectRoot } from '../../src/platform/views/assets.ts';

/**
 * The engines every database test runs on: embedded PGlite always, and PostgreSQL as well when
 * TEST_DATABASE_URL (or DATABASE_URL) names a server. Each test database is a fresh copy of a
 * migrated template, so a suite starts in about a second.
 */
export interface TestEngine {
  readonly name: 'pglite' | 'postgres';
  createDatabase(): Promise<HearthDatabase>;
}

export function testEngines(): TestEngine[] {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  return [pgliteEngine, ...(url ? [postgresEngine(url)] : [])];
}

/** A fingerprint of the migrations: a template is rebuilt whenever they change. */
function migrationsFingerprint(): string {
  const dir = path.join(projectRoot, 'src/db/migrations');
  const hash = createHash('sha256');
  for (const file of fs.readdirSync(dir).sort()) hash.update(file).update(fs.readFileSync(path.join(dir, file)));
  return hash.digest('hex').slice(0, 16);
}

const pgliteEngine: TestEngine = {
  name: 'pglite',
  async createDatabase() {
    return connect({ engine: 'pglite-memory', loadDataDir: await pgliteTemplate() });
  },
};

let templateBlob: Promise<Blob> | undefined;

async function pgliteTemplate(): Promise<Blob> {
  templateBlob ??= (async () => {
    const cacheDir = path.join(os.tmpdir(), 'hearth-test-templates');
    fs.mkdirSync(cacheDir, { recursive: true });
    const file = path.join(cacheDir, `pglite-${migrationsFingerprint()}.tar.gz`);
    if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
    const fresh = await connect({ engine: 'pglite-memory' });
    await migrateToLatest(fresh.db);
    const dump = await fresh.dumpDataDir!();
    await fresh.close();
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(temporary, file); // atomic: parallel test files never read half a file
    return dump;
  })();
  return templateBlob;
}

function postgresEngine(url: string): TestEngine {
  return {
    name: 'postgres',
    async createDatabase() {
      const template = await postgresTemplate(url);
      const name = `hearth_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      await withAdmin(url, (client) => client.query(`create database ${name} template ${template}`));
      const database = await connect({ engine: 'postgres', url: withDatabase(url, name) }, { maxConnections: 20 });
      return {
        ...database,
        async close() {
          await database.close();
          await withAdmin(url, (client) => client.query(`drop database if exists ${name} with (force)`));
        },
      };
    },
  };
}

let postgresTemplateName: Promise<string> | undefined;

async function postgresTemplate(url: string): Promise<string> {
  postgresTemplateName ??= (async () => {
    const name = `hearth_template_${migrationsFingerprint()}`;
    await withAdmin(url, async (client) => {
      // One test process builds the template; the others wait on the lock, then find it built.
      await client.query('select pg_advisory_lock(hashtext($1))', [name]);
      try {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) {
          const building = `${name}_building`;
          await client.query(`drop database if exists ${building} with (force)`);
          await client.query(`create database ${building}`);
          const database = await connect({ engine: 'postgres', url: withDatabase(url, building) });
          try {
            await migrateToLatest(database.db);
          } finally {
            await database.close();
          }
          await client.query(`alter database ${building} rename to ${name}`);
        }
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', [name]);
      }
    });
    return name;
  })();
  return postgresTemplateName;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
