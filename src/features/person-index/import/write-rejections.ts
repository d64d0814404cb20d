/** The rejected rows of an import, written to a CSV file the person importing can open and fix. */
import { openCsvFile, writeCsvFile } from './csv-file.ts';
import { csvField } from './people-csv-format.ts';
import type { PeopleCsvRejection } from './record-reader.ts';

export const REJECTIONS_CSV_HEADER = 'line,reason,raw';

export function rejectionCsvLine(rejection: PeopleCsvRejection): string {
  return `${rejection.line},${csvField(rejection.reason)},${csvField(rejection.raw)}`;
}

export interface RejectionsWriter {
  write(rejection: PeopleCsvRejection): Promise<void>;
  close(): Promise<void>;
}

/** For an import that meets rejections as it goes: write each, then close. */
export async function openRejectionsFile(path: string): Promise<RejectionsWriter> {
  const file = await openCsvFile(path, REJECTIONS_CSV_HEADER);
  return { write: (rejection) => file.writeLine(rejectionCsvLine(rejection)), close: () => file.close() };
}

/** Writes the rejections to `path` (header `line,reason,raw`); resolves with how many were written. */
export async function writeRejections(path: string, rejections: Iterable<PeopleCsvRejection> | AsyncIterable<PeopleCsvRejection>): Promise<number> {
  async function* lines() {
    for await (const rejection of rejections) yield rejectionCsvLine(rejection);
  }
  return writeCsvFile(path, REJECTIONS_CSV_HEADER, lines());
}
