import type { IncomingMessage, ServerResponse } from 'node:http';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import type { HearthDatabase } from './db/connect.ts';
import { openConfiguredDatabase } from './db/open-configured.ts';
import { seedDemoIfEmpty } from './demo/seed-demo.ts';
import { createPeopleServices } from './services.ts';
import { instanceSecret } from './platform/auth/instance-secret.ts';
import { systemClock } from './platform/clock.ts';
import { createLogger } from './platform/logging.ts';

/** The composition root: configuration, database, migrations, demo data, the app, and a clean exit. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config);
  logger.info({ engine: database.engine }, 'database ready');

  // People recorded before the person index existed are indexed now (nothing to do on later starts).
  const indexed = await createPeopleServices(database.db, systemClock, config.timeZone).personIndex.indexMissing();
  if (indexed > 0) logger.info({ indexed }, 'added people to the person index');

  let demo = false;
  if (config.seedDemo && config.environment !== 'production') {
    demo = await seedDemoIfEmpty(database.db, config.environment, config.practicePack);
    if (demo) logger.info('seeded the demo organisation: see the README for its users');
  }
  if (config.environment === 'production') logger.info('production: demo data is never seeded');
  demo ||= config.environment !== 'production' && (await hasDemoOrganisation(database));

  const app = await createApp({
    config,
    database,
    clock: systemClock,
    logger,
    cookieSecret: await instanceSecret(database.db, 'cookie-signing'),
    demo,
  });
  // Responses being written, so that a shutdown can tell their clients to close the connection.
  const inFlight = new Set<ServerResponse>();
  app.server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });
  await app.listen({ host: config.host, port: config.port });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('requests did not finish within 15 s: exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    // server.close() only ends connections idle at that moment. One serving a request would stay open
    // after it, for the keep-alive timeout (72 s), so its response says to close the connection instead.
    for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
    await app.close(); // stops accepting, waits for in-flight requests
    await database.close();
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

async function hasDemoOrganisation(database: HearthDatabase) {
  const row = await database.db.selectFrom('organisations').select('id').where('slug', '=', 'demo').executeTakeFirst();
  return row !== undefined;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Hearth could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
