import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { HearthDatabase } from './db/connect.ts';
import { registerApi } from './features/api/routes.ts';
import { registerAuditTrailRoutes } from './features/audit-trail/routes.ts';
import { registerHealthRoutes } from './features/health/routes.ts';
import { registerHomeRoutes } from './features/home/routes.ts';
import { registerDuplicateRoutes } from './features/duplicates/routes.ts';
import { registerPersonSearchRoutes } from './features/person-index/routes.ts';
import { registerReporterGuideRoutes } from './features/reporter-guide/routes.ts';
import { registerOnlineReportRoutes } from './features/front-door/online-routes.ts';
import { registerFrontDoorStaffRoutes } from './features/front-door/staff-routes.ts';
import { registerPeopleRoutes } from './features/people/routes.ts';
import type { Actor } from './platform/access/actor.ts';
import { registerSignInRoutes } from './features/sign-in/routes.ts';
import { registerStaffRoutes } from './features/staff/routes.ts';
import type { Clock } from './platform/clock.ts';
import { registerCsrfProtection } from './platform/http/csrf.ts';
import { registerErrorHandling } from './platform/http/error-handling.ts';
import { registerRouteAccess } from './platform/http/route-access.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import { registerAssets } from './platform/views/assets.ts';
import { createViews } from './platform/views/views.ts';
import { OutboxSender, smtpTransport } from './platform/email/outbox-sender.ts';
import { practicePack } from './practice/pack.ts';
import { createServices } from './services.ts';

export interface AppDependencies {
  readonly config: Config;
  readonly database: HearthDatabase;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly cookieSecret: string;
  readonly demo: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered, for the test that proves each one has an access rule. */
    readonly registeredRoutes: readonly RouteOptions[];
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The web application, assembled in the order requests pass through it. */
export async function createApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config } = deps;
  // Typed as Fastify's logger so that plugins and features see one instance type.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return config.trustProxy && typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
  });
  const routes: RouteOptions[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });

  const services = createServices(deps);
  const views = createViews({ timeZone: config.timeZone, demo: deps.demo });

  await app.register(cookie, { secret: deps.cookieSecret });
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  await app.register(rateLimit, { global: false });
  await registerSecurityHeaders(app);
  await registerCsrfProtection(app);
  registerRouteAccess(app, { sessions: services.sessions, findApiTokenOwner: services.findApiTokenOwner });
  registerErrorHandling(app, (reply, request, page) =>
    Promise.resolve(views.render(request, reply, 'platform/views/templates/error.njk', { ...page, pageTitle: page.title, requestId: request.id })),
  );

  // Sessions that ended (idle too long or past their absolute end) are deleted every hour; one that is
  // presented before then is refused anyway.
  const purge = setInterval(() => {
    services.sessions.purgeExpired().catch((error: unknown) => app.log.warn({ err: error }, 'session purge failed'));
    services.frontDoor.purgeExpiredDrafts().catch((error: unknown) => app.log.warn({ err: error }, 'draft purge failed'));
  }, 60 * 60_000);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));

  // The outbox: emails are written with the change they tell of, and sent from here when SMTP is configured.
  if (config.email.smtpUrl) {
    const sender = new OutboxSender(deps.database.db, deps.clock, smtpTransport(config.email.smtpUrl, config.email.from), app.log);
    const stop = sender.start(30_000);
    app.addHook('onClose', async () => stop());
  } else {
    app.log.info('HEARTH_SMTP_URL is not set: emails stay in the outbox, unsent');
  }

  registerAssets(app);
  registerHealthRoutes(app, deps.database);
  registerSignInRoutes(app, {
    views,
    sessions: services.sessions,
    signIn: services.signIn,
    clock: deps.clock,
    timeZone: config.timeZone,
    rateLimitPerMinute: config.auth.signInRateLimitPerMinute,
  });
  registerHomeRoutes(app, views);
  registerReporterGuideRoutes(app, { views, pack: practicePack(config.practicePack) });
  const frontDoorDeps = {
    views,
    frontDoor: services.frontDoor,
    screening: services.screening,
    timeZone: config.timeZone,
    limits: { savesPerMinute: config.frontDoor.savesPerMinute, sendsPerHour: config.frontDoor.sendsPerHour },
  };
  registerOnlineReportRoutes(app, frontDoorDeps);
  registerFrontDoorStaffRoutes(app, { ...frontDoorDeps, people: services.people, personIndex: services.personIndex, now: () => deps.clock.now() });
  const findByName = (actor: Actor, name: string) => services.personIndex.findByName(actor, name);
  registerPersonSearchRoutes(app, { views, personIndex: services.personIndex, clock: deps.clock, timeZone: config.timeZone });
  registerDuplicateRoutes(app, { views, queue: services.duplicates, merges: services.merges, people: services.people });
  registerPeopleRoutes(app, { views, people: services.people, clock: deps.clock, timeZone: config.timeZone, findByName });
  registerAuditTrailRoutes(app, { views, auditTrail: services.auditTrail, people: services.people, findByName });
  registerStaffRoutes(app, { views, staff: services.staff, sessions: services.sessions, clock: deps.clock });
  registerApi(app, { people: services.people, personIndex: services.personIndex, frontDoor: services.frontDoor, clock: deps.clock, timeZone: config.timeZone });
  return app;
}
