import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { connect, type HearthDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedDemoIfEmpty } from '../../src/demo/seed-demo.ts';
import { systemClock } from '../../src/platform/clock.ts';

export interface RunningHearth {
  /** Where the app listens, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly baseUrl: string;
  readonly app: FastifyInstance;
  readonly database: HearthDatabase;
  close(): Promise<void>;
}

/**
 * The real application, listening on a free loopback port, over a fresh embedded database in a
 * temporary folder, seeded with the demo organisations exactly as `npm start` would seed them.
 */
export async function startHearth(): Promise<RunningHearth> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-e2e-db-'));
  const database = await connect({ engine: 'pglite', dataDir });
  try {
    await migrateToLatest(database.db);
    await seedDemoIfEmpty(database.db, 'test');
    const config = loadConfig({
      NODE_ENV: 'test',
      HEARTH_SIGN_IN_RATE_LIMIT: '10000',
      HEARTH_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    });
    const app = await createApp({
      config,
      database,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      cookieSecret: 'e2e-cookie-secret-e2e-cookie-secret-e2e',
      demo: true,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('the app did not report a TCP address');
    return {
      baseUrl: `http://127.0.0.1:${address.port}`,
      app,
      database,
      async close() {
        await app.close();
        await database.close();
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
