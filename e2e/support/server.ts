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
import { createPeopleServices } from '../../src/services.ts';

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

/**
 * Looks for duplicate records across the organisation of the user with this email, as
 * `npx hearth people duplicates` does, and puts what it finds in the review queue. The demo
 * organisation is too small to learn a model from, so the default model scores the pairs.
 * Returns how many pairs were queued.
 */
export async function findDuplicates(hearth: RunningHearth, email: string): Promise<number> {
  const user = await hearth.database.db.selectFrom('users').select(['id', 'organisation_id', 'role']).where('email', '=', email).executeTakeFirstOrThrow();
  const { finder } = createPeopleServices(hearth.database.db, systemClock, 'Australia/Sydney');
  const outcome = await finder.find({ organisationId: user.organisation_id, userId: user.id, role: user.role, requestId: 'e2e-find-duplicates' }, { learn: false });
  return outcome.queued;
}
