/**
 * Lines -> records -> people or rejections. See read-people-csv.ts for how and why; in short:
 * a line without quotes is split on commas; lines with quotes go to csv-parse, many at once when
 * they are all well formed and one at a time when not; a quoted field left open at the end of a
 * line joins the next lines, up to MAX_LINES_PER_RECORD, or its first line alone is rejected.
 */
import { parse, type Options } from 'csv-parse/sync';
import { PEOPLE_CSV_COLUMNS } from './people-csv-format.ts';
import { MAX_LINE_BYTES, TOO_LONG } from './read-lines.ts';
import { validatePersonFields, type PersonImportRow } from './validate-person-row.ts';

export interface PeopleCsvRejection {
  /** The file's line (1-based, the header is line 1) the record starts on. */
  readonly line: number;
  readonly reason: string;
  /** The record's text as read, cut at RAW_LIMIT characters. */
  readonly raw: string;
}

export type PeopleCsvItem =
  | { readonly kind: 'row'; readonly line: number; readonly row: PersonImportRow }
  | ({ readonly kind: 'rejected' } & PeopleCsvRejection);

export const MAX_LINES_PER_RECORD = 10;
export const RAW_LIMIT = 500;
/** Lines with quotes parsed in one csv-parse call: one bad line costs this many parsed again singly. */
const RUN = 500;
const COLUMN_COUNT = PEOPLE_CSV_COLUMNS.length;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const CSV_OPTIONS: Options = { relax_column_count: true, record_delimiter: '\n', skip_empty_lines: false };
const CLOSING_QUOTE = 'a quoted field has more text after its closing quote';

function cut(text: string): string {
  if (text.length <= RAW_LIMIT) return text;
  // Not between the two halves of a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text.charAt(RAW_LIMIT - 1)) ? RAW_LIMIT - 1 : RAW_LIMIT;
  return text.slice(0, end);
}

const withoutCr = (text: string) => (text.endsWith('\r') ? text.slice(0, -1) : text);

type Parsed = { readonly fields: string[] } | { readonly open: true } | { readonly error: string };

/**
 * csv-parse's verdict on the text of one record (a line, or lines joined). Strict CSV first; a
 * quote inside an unquoted field (O"Brien) is then allowed as text on a single line only, and a
 * relaxed field that still starts with a quote (`"Kate"x`) is refused rather than kept with its quotes.
 */
function parseRecord(text: string, singleLine: boolean): Parsed {
  for (const relax_quotes of singleLine ? [false, true] : [false]) {
    try {
      const records = parse(text, { ...CSV_OPTIONS, relax_quotes });
      const fields = records[0];
      if (records.length !== 1 || fields === undefined) return { open: true };
      if (relax_quotes && fields.some((field) => field.startsWith('"'))) return { error: CLOSING_QUOTE };
      return { fields };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'CSV_QUOTE_NOT_CLOSED') return { open: true };
      if (code === 'CSV_INVALID_CLOSING_QUOTE') return { error: CLOSING_QUOTE };
      if (code === 'INVALID_OPENING_QUOTE' && !relax_quotes) continue;
      return { error: `not readable as CSV: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { error: 'a quote inside a field that is not quoted' };
}

/** Holds the lines of a record whose quote is still open; everything else goes straight to `out`. */
export class RecordReader {
  private pending: { first: number; lines: string[] } | undefined;

  constructor(private readonly today: string) {}

  /**
   * Reads lines[from..] of a batch; `firstLine` is the file's line number of lines[0], and
   * `problems` says which lines could not be decoded (by index in `lines`).
   */
  batch(lines: readonly string[], from: number, firstLine: number, problems: ReadonlyMap<number, string> | undefined, out: PeopleCsvItem[]): void {
    let i = from;
    while (i < lines.length) {
      const text = lines[i] as string;
      if (this.pending === undefined && problems?.has(i) !== true && text.includes('"')) {
        let end = i + 1;
        while (end < lines.length && end - i < RUN && problems?.has(end) !== true && (lines[end] as string).includes('"')) end++;
        if (end - i > 1 && this.wellFormedRun(lines.slice(i, end).map(withoutCr), firstLine + i, out)) {
          i = end;
          continue;
        }
      }
      this.line(firstLine + i, text, problems?.get(i), out);
      i++;
    }
  }

  /** At the end of the file, a record still open is a stray quote. */
  end(out: PeopleCsvItem[]): void {
    while (this.pending) this.giveUpPending(out);
  }

  /**
   * Consecutive lines with quotes in one csv-parse call, when every line is one well-formed record
   * (so each is read exactly as on its own); false, having written nothing, when any is not.
   */
  private wellFormedRun(texts: readonly string[], firstLine: number, out: PeopleCsvItem[]): boolean {
    let records: string[][];
    try {
      records = parse(texts.join('\n'), CSV_OPTIONS);
    } catch {
      return false;
    }
    if (records.length !== texts.length) return false;
    records.forEach((fields, k) => {
      const text = texts[k] as string;
      if (text.length > MAX_LINE_BYTES) out.push({ kind: 'rejected', line: firstLine + k, reason: TOO_LONG, raw: cut(text) });
      else this.record(firstLine + k, fields, text, PRINTABLE_ASCII.test(text), out);
    });
    return true;
  }

  private line(lineNumber: number, rawText: string, problem: string | undefined, out: PeopleCsvItem[]): void {
    const text = withoutCr(rawText);
    if (this.pending) {
      if (problem !== undefined) {
        this.giveUpPending(out);
        this.line(lineNumber, text, problem, out);
        return;
      }
      this.pending.lines.push(text);
      const joined = this.pending.lines.join('\n');
      const parsed = parseRecord(joined, false);
      if ('open' in parsed) {
        if (this.pending.lines.length >= MAX_LINES_PER_RECORD) this.giveUpPending(out);
        return;
      }
      if ('error' in parsed || parsed.fields.length !== COLUMN_COUNT) {
        this.giveUpPending(out);
        return;
      }
      const first = this.pending.first;
      this.pending = undefined;
      this.record(first, parsed.fields, joined, false, out);
      return;
    }
    if (problem !== undefined) {
      out.push({ kind: 'rejected', line: lineNumber, reason: problem, raw: cut(text) });
      return;
    }
    if (text.trim() === '') return;
    if (text.length > MAX_LINE_BYTES) {
      out.push({ kind: 'rejected', line: lineNumber, reason: TOO_LONG, raw: cut(text) });
      return;
    }
    if (!text.includes('"')) {
      this.record(lineNumber, text.split(','), text, PRINTABLE_ASCII.test(text), out);
      return;
    }
    const parsed = parseRecord(text, true);
    if ('open' in parsed) this.pending = { first: lineNumber, lines: [text] };
    else if ('error' in parsed) out.push({ kind: 'rejected', line: lineNumber, reason: parsed.error, raw: cut(text) });
    else this.record(lineNumber, parsed.fields, text, PRINTABLE_ASCII.test(text), out);
  }

  /** The first line held a stray quote: reject it and read the lines after it afresh. */
  private giveUpPending(out: PeopleCsvItem[]): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    out.push({ kind: 'rejected', line: pending.first, reason: 'unterminated quote', raw: cut(pending.lines[0] ?? '') });
    pending.lines.slice(1).forEach((text, i) => this.line(pending.first + 1 + i, text, undefined, out));
  }

  private record(line: number, fields: readonly string[], text: string, printableAscii: boolean, out: PeopleCsvItem[]): void {
    if (fields.length !== COLUMN_COUNT) {
      out.push({ kind: 'rejected', line, reason: `expected ${COLUMN_COUNT} columns, found ${fields.length}`, raw: cut(text) });
      return;
    }
    const result = validatePersonFields(fields, this.today, !printableAscii);
    out.push(result.ok ? { kind: 'row', line, row: result.row } : { kind: 'rejected', line, reason: result.reason, raw: cut(text) });
  }
}
