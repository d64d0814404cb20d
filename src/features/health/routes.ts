import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { HearthDatabase } from '../../db/connect.ts';

/** /health: the process is up. /ready: it can reach its database (a load balancer's check). */
export function registerHealthRoutes(app: FastifyInstance, database: HearthDatabase): void {
  app.get('/health', { config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/ready', { config: { access: 'public' } }, async (request, reply) => {
    try {
      await sql`select 1`.execute(database.db);
      return { status: 'ready', database: database.engine };
    } catch (error) {
      request.log.warn({ err: error }, 'database not reachable');
      return reply.code(503).send({ status: 'unavailable', database: database.engine });
    }
  });
}
