import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * A strict Content-Security-Policy (scripts only from Hearth, plus a per-response nonce for GOV.UK
 * Frontend's one inline line; no 'unsafe-inline'), no framing, no referrer outside Hearth, and HSTS
 * when the request came over TLS. Pages hold personal data, so nothing but assets is cached.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    hsts: false,
    // The same answer as frame-ancestors 'none', for browsers that do not read CSP.
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') {
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    }
    if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    reply.header('x-request-id', request.id);
  });
  // JSON never carries a raw `<`, `>` or `&`: a name someone typed as "<script>..." reaches an API
  // client as "\u003cscript\u003e...", so no browser or careless page that embeds the JSON can run
  // it. Outside strings JSON has none of these characters, so the escape is always valid JSON.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return payload;
    return payload.replace(/[<>&]/g, (c) => JSON_ESCAPES[c] ?? c);
  });
}

const JSON_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };
