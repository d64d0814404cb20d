import pino, { type Logger } from 'pino';

/**
 * JSON logs for machines. Requests are logged by method, path (never the query string, which can
 * hold a name someone searched for), status and request id: no bodies, no addresses, no names.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'hearth' },
    serializers: {
      req: (request: { method?: string; url?: string; id?: string }) => ({
        id: request.id,
        method: request.method,
        path: (request.url ?? '').split('?')[0],
      }),
      res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
      err: (error: Error & { code?: string; statusCode?: number }) => ({
        type: error.name,
        code: error.code,
        statusCode: error.statusCode,
        // The first line only: database errors put the offending values in later lines and in `detail`.
        message: String(error.message).split('\n')[0],
        stack: error.stack?.split('\n').slice(1, 8).join('\n'),
      }),
    },
  });
}
