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

/** A change to a record that was merged into another: it is read-only until the merge is undone. */
export function recordMerged(): HttpError {
  return new HttpError(
    409,
    'This record was merged into another record, so it cannot be changed here. Change the record it was merged into, or undo the merge first.',
    'HEARTH_RECORD_MERGED',
  );
}
