/**
 * The engines the benchmark runs on: PGlite always, in a fresh folder under the system's temp
 * directory; PostgreSQL when TEST_DATABASE_URL or DATABASE_URL names a server, in a database of its
 * own made for the run. Both are removed afterwards, whatever happens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type HearthDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { withAdmin, withDatabase } from '../../test/support/engines.ts';

export interface BenchEngine {
  readonly name: 'pglite' | 'postgres';
  /** Where the data lives, for the report (no password). */
  readonly where: string;
  open(): Promise<HearthDatabase>;
  /** Removes the folder or database. */
  dispose(): Promise<void>;
  /** Bytes on disk, when known. */
  size(database: HearthDatabase): Promise<number | null>;
}

/** As the product runs: HEARTH_STATEMENT_TIMEOUT_MS, 10 s unless set. */
export const STATEMENT_TIMEOUT_MS = Number(process.env['HEARTH_STATEMENT_TIMEOUT_MS'] ?? 10_000);

export function benchEngines(only: string | undefined): BenchEngine[] {
  const url = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
  const engines: BenchEngine[] = [];
  if (only === undefined || only === 'pglite') engines.push(pgliteEngine());
  if ((only === undefined || only === 'postgres') && url) engines.push(postgresEngine(url));
  if (only === 'postgres' && !url) throw new Error('--engine postgres needs TEST_DATABASE_URL or DATABASE_URL');
  return engines;
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

function pgliteEngine(): BenchEngine {
  const dir = path.join(os.tmpdir(), `hearth-bench-search-${process.pid}-${Date.now()}`);
  return {
    name: 'pglite',
    where: dir,
    async open() {
      const database = await connect({ engine: 'pglite', dataDir: dir }, { statementTimeoutMs: STATEMENT_TIMEOUT_MS });
      await migrateToLatest(database.db);
      return database;
    },
    async dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
    async size() {
      return fs.existsSync(dir) ? directorySize(dir) : null;
    },
  };
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}


function postgresEngine(url: string): BenchEngine {
  const name = `hearth_bench_search_${process.pid}`;
  return {
    name: 'postgres',
    where: withoutPassword(withDatabase(url, name)),
    async open() {
      await withAdmin(url, async (client) => {
        await client.query(`drop database if exists ${name} with (force)`);
        await client.query(`create database ${name}`);
      });
      const database = await connect({ engine: 'postgres', url: withDatabase(url, name) }, { statementTimeoutMs: STATEMENT_TIMEOUT_MS });
      await migrateToLatest(database.db);
      return database;
    },
    async dispose() {
      await withAdmin(url, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
    async size() {
      return withAdmin(url, async (client) => {
        const result = await client.query<{ size: string }>('select pg_database_size($1)::text as size', [name]);
        return result.rows[0] ? Number(result.rows[0].size) : null;
      });
    },
  };
}
