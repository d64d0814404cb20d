import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';

export type DatabaseTarget =
  | { readonly engine: 'pglite'; readonly dataDir: string }
  | { readonly engine: 'pglite-memory'; readonly loadDataDir?: Blob }
  | { readonly engine: 'postgres'; readonly url: string };

export interface HearthDatabase {
  readonly db: Kysely<Database>;
  readonly engine: 'pglite' | 'postgres';
  /** Dump of an embedded database (for test templates); undefined on PostgreSQL. */
  readonly dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly statementTimeoutMs?: number;
  readonly maxConnections?: number;
}

/**
 * Both engines return the same shapes: int8 as number (counts and sequence numbers stay far below
 * 2^53), date as 'YYYY-MM-DD' text (no time-zone shifts), timestamptz as Date, numeric as text.
 */
const INT8 = 20;
const DATE = 1082;

export const EMBEDDED_EXTENSIONS = { btree_gin, citext, fuzzystrmatch, pg_trgm, unaccent };

export async function connect(target: DatabaseTarget, options: ConnectOptions = {}): Promise<HearthDatabase> {
  if (target.engine === 'postgres') return connectPostgres(target.url, options);
  return connectEmbedded(target, options);
}

async function connectEmbedded(
  target: Exclude<DatabaseTarget, { engine: 'postgres' }>,
  options: ConnectOptions,
): Promise<HearthDatabase> {
  let lock: DataDirLock | undefined;
  let dataDir: string | undefined;
  if (target.engine === 'pglite') {
    dataDir = path.resolve(target.dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
    lock = acquireDataDirLock(dataDir);
  }
  const parsers = {
    [pgliteTypes.INT8]: (value: string) => Number(value),
    [pgliteTypes.DATE]: (value: string) => value,
  };
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(dataDir ? { dataDir: path.join(dataDir, 'pgdata') } : {}),
      ...(target.engine === 'pglite-memory' && target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
      extensions: EMBEDDED_EXTENSIONS,
      parsers,
    });
    if (options.statementTimeoutMs) {
      await client.exec(`set statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`);
    }
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    engine: 'pglite',
    dumpDataDir: () => client.dumpDataDir('gzip'),
    async close() {
      await db.destroy();
      // Kysely only closes a driver it has used: close PGlite itself, or an unqueried one keeps the process alive.
      if (!client.closed) await client.close();
      lock?.release();
    },
  };
}

async function connectPostgres(url: string, options: ConnectOptions): Promise<HearthDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    idle_in_transaction_session_timeout: 60_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return (value: string) => Number(value);
        if (oid === DATE) return (value: string) => value;
        return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A connection that drops while idle in the pool must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    async close() {
      await db.destroy();
    },
  };
}
