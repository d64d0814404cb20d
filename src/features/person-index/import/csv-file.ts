/** Writing a CSV file line by line without holding it in memory, waiting when the disk is slower. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface CsvFileWriter {
  /** Adds one line (without its line ending). Await it: it waits when the file's buffer is full. */
  writeLine(line: string): Promise<void>;
  /** Flushes and closes the file; the lines written are all on disk when it resolves. */
  close(): Promise<void>;
}

const FLUSH_AT = 64 * 1024;

export async function openCsvFile(path: string, headerLine: string): Promise<CsvFileWriter> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  await once(stream, 'open');
  let pending = `${headerLine}\n`;
  const flush = async () => {
    if (failure) throw failure;
    const text = pending;
    pending = '';
    if (!stream.write(text)) await once(stream, 'drain');
  };
  return {
    async writeLine(line) {
      pending += `${line}\n`;
      if (pending.length >= FLUSH_AT) await flush();
    },
    async close() {
      await flush();
      stream.end();
      await once(stream, 'finish');
      if (failure) throw failure;
    },
  };
}

/** Writes a whole file from lines made one at a time; resolves with the number of lines written. */
export async function writeCsvFile(path: string, headerLine: string, lines: Iterable<string> | AsyncIterable<string>): Promise<number> {
  const file = await openCsvFile(path, headerLine);
  let count = 0;
  for await (const line of lines) {
    await file.writeLine(line);
    count++;
  }
  await file.close();
  return count;
}
