/** An error that carries the status to answer with; the error handler shows its message to the user. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code = `HEARTH_${statusCode}`,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function httpError(statusCode: number, message: string): HttpError {
  return new HttpError(statusCode, message);
}

export function notFound(what = 'page'): HttpError {
  return new HttpError(404, `The ${what} you asked for was not found.`);
}
