/**
 * A file's bytes -> its lines, in batches, each line checked to be UTF-8 on its own: one line of
 * bad bytes is one rejected line, not a failed import. Splitting on the byte 0x0A is safe in UTF-8
 * (it never occurs inside a multi-byte character). A line longer than MAX_LINE_BYTES is reported
 * and skipped without being held, so a file with no line breaks cannot fill memory.
 */

export const MAX_LINE_BYTES = 1024 * 1024;

export interface LineBatch {
  /** The lines' text, without '\n' (a trailing '\r' is left for the caller). */
  readonly lines: string[];
  /** What is wrong with some lines, by index in `lines`: their text is shown with U+FFFD for bad bytes. */
  readonly problems: ReadonlyMap<number, string> | undefined;
  /** Bytes read from the source so far. */
  readonly bytesRead: number;
}

export class NotUtf8FileError extends Error {}

const NEWLINE = 0x0a;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
// ignoreBOM keeps a U+FEFF that starts a later batch as text: only the file's first bytes are a BOM.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

export const NOT_UTF8 = 'not valid UTF-8';
export const TOO_LONG = `line is longer than ${MAX_LINE_BYTES.toLocaleString('en-GB')} bytes`;

function decodeLines(block: Uint8Array): { lines: string[]; problems: Map<number, string> | undefined } {
  try {
    return { lines: strict.decode(block).split('\n'), problems: undefined };
  } catch {
    // Some line in the block is not UTF-8: find which, line by line.
    const lines: string[] = [];
    const problems = new Map<number, string>();
    let start = 0;
    for (;;) {
      const end = block.indexOf(NEWLINE, start);
      const bytes = block.subarray(start, end < 0 ? block.length : end);
      try {
        lines.push(strict.decode(bytes));
      } catch {
        problems.set(lines.length, NOT_UTF8);
        lines.push(lenient.decode(bytes));
      }
      if (end < 0) return { lines, problems };
      start = end + 1;
    }
  }
}

export async function* readLines(source: AsyncIterable<Uint8Array>): AsyncGenerator<LineBatch, void, undefined> {
  let carry: Uint8Array = new Uint8Array(0);
  let bytesRead = 0;
  let first = true;
  /** The start of a line too long to keep, while its end is skipped. */
  let overlong: string | undefined;
  for await (const chunk of source) {
    bytesRead += chunk.length;
    let bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    if (first) {
      if (bytes.length < 3) {
        carry = bytes;
        continue;
      }
      first = false;
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        throw new NotUtf8FileError('The file is UTF-16, not UTF-8: save it as "CSV UTF-8"');
      }
      if (bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2]) bytes = bytes.subarray(3);
    }
    let start = 0;
    const lines: string[] = [];
    let problems: Map<number, string> | undefined;
    if (overlong !== undefined) {
      const end = bytes.indexOf(NEWLINE);
      if (end < 0) {
        carry = new Uint8Array(0);
        continue;
      }
      lines.push(overlong);
      problems = new Map([[0, TOO_LONG]]);
      overlong = undefined;
      start = end + 1;
    }
    const last = bytes.lastIndexOf(NEWLINE);
    if (last >= start) {
      const decoded = decodeLines(bytes.subarray(start, last));
      for (const [index, problem] of decoded.problems ?? []) (problems ??= new Map()).set(lines.length + index, problem);
      for (const line of decoded.lines) lines.push(line);
      start = last + 1;
    }
    // Copy what is left, so the chunk it came from can be freed.
    carry = new Uint8Array(bytes.subarray(start));
    if (carry.length > MAX_LINE_BYTES) {
      overlong = lenient.decode(carry.subarray(0, 2000));
      carry = new Uint8Array(0);
    }
    if (lines.length > 0) yield { lines, problems, bytesRead };
  }
  if (overlong !== undefined) {
    yield { lines: [overlong], problems: new Map([[0, TOO_LONG]]), bytesRead };
  } else if (carry.length > 0) {
    const decoded = decodeLines(carry);
    yield { lines: decoded.lines, problems: decoded.problems, bytesRead };
  }
}
