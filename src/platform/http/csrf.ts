import csrf from '@fastify/csrf-protection';
import type { FastifyInstance } from 'fastify';
import { isApiRequest } from './route-access.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A form that records nothing and reads no session (the reporter's guide: an answer only moves
     * to the next question) needs no token: a forged post could do nothing, and the form must work
     * for someone whose browser refuses cookies.
     */
    changesNothing?: boolean;
    /**
     * A form whose address holds a 256-bit secret (a report's draft at its private link): a forged post
     * from another site cannot know the address, so it needs no token, and works without cookies.
     */
    secretInAddress?: boolean;
  }
}

/**
 * Every state-changing form carries a token tied to a signed cookie secret. The API is exempt: it
 * takes bearer tokens only, never cookies, so a browser cannot be tricked into calling it.
 */
export async function registerCsrfProtection(app: FastifyInstance): Promise<void> {
  await app.register(csrf, {
    cookieKey: 'hearth_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: true, secure: 'auto' },
    getToken: (request) => {
      const body = request.body as Record<string, unknown> | undefined;
      const token = body && typeof body === 'object' ? body._csrf : undefined;
      return typeof token === 'string' ? token : undefined;
    },
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || isApiRequest(request) || request.is404 || request.routeOptions.config.changesNothing === true || request.routeOptions.config.secretInAddress === true) {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });
}
