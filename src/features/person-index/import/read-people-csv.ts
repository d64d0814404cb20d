/**
 * Reads a person import file as a stream: the header first (a wrong header stops the import before
 * any row), then for each record either a person to import or a rejection naming its line and why.
 * One bad line never stops the rest.
 *
 * How a file becomes records, and why:
 * - Lines are split on bytes and each is checked to be UTF-8 on its own (read-lines.ts), so bad
 *   bytes reject their line only. Line numbers count physical lines, the header being line 1.
 * - A line without a quote character is split on commas: for such a line that is exactly what CSV
 *   means (a test checks it against csv-parse), and it is most lines, so it is the fast path.
 * - Lines with quotes are parsed by csv-parse (record-reader.ts): a run of them in one call when
 *   every one is a well-formed record, else one by one. Strict CSV, except that a quote inside an
 *   unquoted field (O"Brien) is taken as text. When a quoted field is still open at the end of a
 *   line it may legitimately hold a line break, so the next lines are joined on, up to
 *   MAX_LINES_PER_RECORD lines in all. If the quote never closes there, or the joined text is not
 *   one well-formed record of 10 columns, only the first line is rejected ("unterminated quote")
 *   and reading starts again at the line after it: a stray quote costs one row, never the rest of
 *   the file (a streaming parser would read on to the end looking for the closing quote).
 * - The same external_id twice in a file is not an error: the later row wins, as it would if the
 *   two rows came in two files one after the other (re-importing an external_id updates it). The
 *   reader keeps no set of ids, so a million rows take no more memory than one batch.
 */
import { createReadStream } from 'node:fs';
import { checkHeader, PeopleCsvHeaderError } from './people-csv-header.ts';
import { PEOPLE_CSV_HEADER } from './people-csv-format.ts';
import { NotUtf8FileError, readLines } from './read-lines.ts';
import { RecordReader, type PeopleCsvItem } from './record-reader.ts';

export { PeopleCsvHeaderError } from './people-csv-header.ts';
export type { PeopleCsvItem, PeopleCsvRejection } from './record-reader.ts';
export type { PersonImportRow } from './validate-person-row.ts';

export interface ReadPeopleCsvOptions {
  /** 'YYYY-MM-DD': a date of birth after this day is in the future. Defaults to today's UTC date. */
  readonly today?: string;
  /** Called as the file is read, with the bytes read so far: for a progress bar. */
  readonly onProgress?: (bytesRead: number) => void;
}

/**
 * The file's records in order, each a row to import or a rejection. Throws PeopleCsvHeaderError
 * before yielding anything when the header is wrong, the file is empty, or it is not UTF-8.
 */
export async function* readPeopleCsv(source: string | AsyncIterable<Uint8Array>, options: ReadPeopleCsvOptions = {}): AsyncGenerator<PeopleCsvItem, void, undefined> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const input = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1024 * 1024 }) : source;
  const reader = new RecordReader(today);
  let linesRead = 0;
  try {
    for await (const { lines, problems, bytesRead } of readLines(input)) {
      const out: PeopleCsvItem[] = [];
      if (linesRead === 0) {
        const problem = problems?.get(0);
        if (problem !== undefined) throw new PeopleCsvHeaderError(`The header (line 1) cannot be read: ${problem}`);
        checkHeader(lines[0] ?? '');
      }
      reader.batch(lines, linesRead === 0 ? 1 : 0, linesRead + 1, problems, out);
      linesRead += lines.length;
      options.onProgress?.(bytesRead);
      for (const item of out) yield item;
    }
  } catch (error) {
    if (error instanceof NotUtf8FileError) throw new PeopleCsvHeaderError(error.message);
    throw error;
  }
  if (linesRead === 0) throw new PeopleCsvHeaderError(`The file is empty: the first line must be: ${PEOPLE_CSV_HEADER}`);
  const out: PeopleCsvItem[] = [];
  reader.end(out);
  for (const item of out) yield item;
}

/**
 * The last row for each external_id, in the order of their last appearance. For an importer that
 * writes a batch in one statement: PostgreSQL refuses `insert ... on conflict do update` that
 * touches the same row twice, and the later row is the one that wins.
 */
export function keepLastPerExternalId<T extends { readonly external_id: string }>(rows: readonly T[]): T[] {
  const last = new Map<string, T>();
  for (const row of rows) {
    last.delete(row.external_id);
    last.set(row.external_id, row);
  }
  return [...last.values()];
}
