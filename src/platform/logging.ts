import pino, { type Logger } from 'pino';

/**
 * JSON logs for machines. Requests are logged by method, path (never the query string, which can
 * hold a name someone searched for), status and request id: no bodies, no addresses, no names.
 */
/**
 * A path segment of 43 URL-safe characters is a 256-bit private link (a report's draft or status
 * page): whoever reads the logs must not be able to open it.
 */
export function withoutSecrets(path: string): string {
  return path.replace(/\/[A-Za-z0-9_-]{43}(?=\/|$)/g, '/:token');
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'hearth' },
    serializers: {
      req: (request: { method?: string; url?: string; id?: string }) => ({
        id: request.id,
        method: request.method,
        path: withoutSecrets((request.url ?? '').split('?')[0] ?? ''),
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
  };
  return destination ? pino(options, destination) : pino(options);
}
