import type { Config } from '../config.ts';
import { connect, type HearthDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';

/** Opens the database the configuration names (PGlite in a folder, or PostgreSQL) and migrates it. */
export async function openConfiguredDatabase(config: Config): Promise<HearthDatabase> {
  const database = await connect(config.database, { statementTimeoutMs: config.statementTimeoutMs });
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
