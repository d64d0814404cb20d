import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.ts';
import { roleHasPermission, type Permission } from '../access/roles.ts';
import type { ApiTokenOwner } from '../auth/api-tokens.ts';
import type { Session, SessionStore } from '../auth/session-store.ts';
import { httpError } from './http-error.ts';

/**
 * Every route names who may use it. A route without a rule is refused (deny by default), and a test
 * walks the route table to fail the build when one is missing.
 * - 'public': anyone, signed in or not
 * - 'signed-in': any fully signed-in user
 * - 'mfa-pending': a user who has given their password and must now give or set up a code
 * - a permission: a fully signed-in user (or API token) whose role grants it
 */
export type AccessRule = 'public' | 'signed-in' | 'mfa-pending' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface FastifyRequest {
    session?: Session;
    sessionToken?: string;
    apiCaller?: ApiTokenOwner;
  }
}

export const SESSION_COOKIE = 'hearth_session';

export interface AccessDependencies {
  readonly sessions: SessionStore;
  readonly findApiTokenOwner: (token: string) => Promise<ApiTokenOwner | undefined>;
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url === '/api' || request.url.startsWith('/api/');
}

/** Identifies the caller (session cookie for pages, bearer token for the API) and applies the route's rule. */
export function registerRouteAccess(app: FastifyInstance, deps: AccessDependencies): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return; // nothing to protect: the not-found handler answers
    const rule = request.routeOptions.config.access;
    if (isApiRequest(request)) {
      await identifyApiCaller(request, deps);
      return applyApiRule(rule, request, reply);
    }
    await identifySession(request, reply, deps);
    return applyPageRule(rule, request, reply);
  });
}

async function identifySession(request: FastifyRequest, reply: FastifyReply, deps: AccessDependencies): Promise<void> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return;
  const session = await deps.sessions.find(token);
  if (session) {
    request.session = session;
    request.sessionToken = token;
  } else {
    // The session has ended (idle, past its absolute end, signed out elsewhere, account disabled).
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}

async function identifyApiCaller(request: FastifyRequest, deps: AccessDependencies): Promise<void> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) return;
  const owner = await deps.findApiTokenOwner(match[1]);
  if (owner) request.apiCaller = owner;
}

function applyPageRule(rule: AccessRule | undefined, request: FastifyRequest, reply: FastifyReply) {
  if (rule === undefined) throw httpError(403, 'This page has no access rule, so it is closed to everyone.');
  if (rule === 'public') return;
  const session = request.session;
  if (!session) {
    // A cookie with no live session behind it means the session ended: the sign-in page says why.
    const query = [
      ...(request.cookies[SESSION_COOKIE] ? ['expired=1'] : []),
      ...(request.method === 'GET' ? [`returnTo=${encodeURIComponent(request.url)}`] : []),
    ].join('&');
    return reply.redirect(query ? `/sign-in?${query}` : '/sign-in', 303);
  }
  if (rule === 'mfa-pending') {
    if (session.stage === 'active') return reply.redirect('/', 303);
    return;
  }
  if (session.stage === 'mfa_required') return reply.redirect('/sign-in/code', 303);
  if (session.stage === 'mfa_enrolment') return reply.redirect('/sign-in/set-up-code', 303);
  if (rule === 'signed-in') return;
  if (!roleHasPermission(session.user.role, rule)) throw httpError(403, 'You do not have permission to see this page.');
}

function applyApiRule(rule: AccessRule | undefined, request: FastifyRequest, reply: FastifyReply) {
  if (rule === 'public') return;
  if (rule === undefined || rule === 'mfa-pending') {
    return reply.code(403).send({ error: 'forbidden', message: 'This endpoint has no access rule.' });
  }
  const caller = request.apiCaller;
  if (!caller) {
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="hearth"')
      .send({ error: 'unauthorised', message: 'Send a valid API token: Authorization: Bearer <token>.' });
  }
  if (rule !== 'signed-in' && !roleHasPermission(caller.role, rule)) {
    return reply.code(403).send({ error: 'forbidden', message: 'Your account may not do this.' });
  }
}


/** The actor behind a request that passed a signed-in or permission rule. */
export function actorOf(request: FastifyRequest): Actor {
  const session = request.session;
  if (session && session.stage === 'active') {
    return {
      userId: session.user.id,
      organisationId: session.user.organisationId,
      role: session.user.role,
      displayName: session.user.displayName,
      requestId: request.id,
    };
  }
  const caller = request.apiCaller;
  if (caller) {
    return {
      userId: caller.userId,
      organisationId: caller.organisationId,
      role: caller.role,
      displayName: caller.displayName,
      requestId: request.id,
    };
  }
  throw new Error('actorOf called on a request without a signed-in user: the route needs an access rule');
}
