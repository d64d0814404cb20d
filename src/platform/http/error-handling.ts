import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isApiRequest } from './route-access.ts';

interface ErrorPage {
  readonly status: number;
  readonly title: string;
  readonly message: string;
  readonly code: string;
}

/** What a user or client is told for each kind of failure. Never a stack trace, never a database message. */
function describe(error: FastifyError): ErrorPage {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) {
    return { status: 500, code: 'internal_error', title: 'Sorry, there is a problem with the service', message: 'Try again later. What you entered has not been saved.' };
  }
  switch (error.code) {
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return {
        status: 403,
        code: 'form_expired',
        title: 'This form has expired',
        message: 'For your security, forms stop working after a while. Go back, refresh the page and send it again.',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'too_large', title: 'What you sent is too large', message: 'Send less text or a smaller file.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', title: 'Unsupported content type', message: 'Send a form or JSON.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'invalid_json', title: 'The request body is not valid JSON', message: 'Send a valid JSON document.' };
    case 'HEARTH_RECORD_MERGED':
      return { status: 409, code: 'record_merged', title: 'This record was merged into another', message: error.message };
    case 'FST_ERR_RATE_LIMIT_EXCEEDED':
      return { status: 429, code: 'too_many_requests', title: 'Too many attempts', message: 'Wait a minute, then try again.' };
    default:
      break;
  }
  if (status === 404) return { status, code: 'not_found', title: 'Page not found', message: error.message };
  if (status === 403) return { status, code: 'forbidden', title: 'You cannot see this page', message: error.message };
  if (status === 429) return { status, code: 'too_many_requests', title: 'Too many attempts', message: 'Wait a minute, then try again.' };
  return { status, code: 'bad_request', title: 'Sorry, we could not read what you sent', message: 'Go back and try again.' };
}

export function registerErrorHandling(
  app: FastifyInstance,
  renderPage: (reply: FastifyReply, request: FastifyRequest, page: ErrorPage) => Promise<unknown>,
): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const page = describe(error);
    if (page.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ statusCode: page.status, code: error.code }, 'request refused');
    reply.code(page.status);
    if (page.status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
    if (isApiRequest(request)) {
      return reply.send({ error: page.code, message: page.title, ...(page.status >= 500 ? { requestId: request.id } : {}) });
    }
    return renderPage(reply, request, page);
  });

  app.setNotFoundHandler(async (request, reply) => {
    reply.code(404);
    if (isApiRequest(request)) return reply.send({ error: 'not_found', message: 'No such endpoint or record.' });
    return renderPage(reply, request, {
      status: 404,
      code: 'not_found',
      title: 'Page not found',
      message: 'If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.',
    });
  });
}
