import { readFileSync } from 'node:fs';
import type { MatchRecord } from '../../src/features/person-index/matching/types.ts';

/**
 * FEBRL's synthetic Australian records (Christen, 2008): `rec-N-org` is an original and
 * `rec-N-dup-K` its corrupted copies. The rec_id is used only to score the result, never to match.
 */
export interface FebrlRecord {
  readonly record: MatchRecord;
  /** N: records sharing it describe one person. */
  readonly person: string;
}

/** FEBRL's files hold no quoted fields, but a quoted one would still be read correctly. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const character = line[i];
    if (quoted) {
      if (character === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (character === '"') quoted = false;
      else current += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      fields.push(current);
      current = '';
    } else current += character;
  }
  fields.push(current);
  return fields.map((field) => field.trim());
}

function orNull(text: string | undefined): string | null {
  return text === undefined || text === '' ? null : text;
}

/** FEBRL writes dates as YYYYMMDD; anything else (a slip such as a seven-digit date) is unknown. */
function dateOf(text: string | undefined): string | null {
  return text !== undefined && /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : null;
}

export function readFebrl(path: string): FebrlRecord[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = splitCsvLine(header ?? '');
  const at = (name: string): number => {
    const position = columns.indexOf(name);
    if (position < 0) throw new Error(`${path} has no column ${name}`);
    return position;
  };
  const positions = {
    id: at('rec_id'), given: at('given_name'), family: at('surname'), streetNumber: at('street_number'), street: at('address_1'),
    locality: at('address_2'), suburb: at('suburb'), postcode: at('postcode'), state: at('state'), dateOfBirth: at('date_of_birth'), identifier: at('soc_sec_id'),
  };
  return lines.map((line) => {
    const fields = splitCsvLine(line);
    const get = (position: number): string | undefined => fields[position];
    const id = get(positions.id) ?? '';
    const identifier = orNull(get(positions.identifier));
    const record: MatchRecord = {
      id,
      names: [{ given: get(positions.given) ?? '', family: get(positions.family) ?? '' }],
      dateOfBirth: dateOf(get(positions.dateOfBirth)),
      sex: null,
      addresses: [
        {
          streetNumber: orNull(get(positions.streetNumber)),
          street: orNull(get(positions.street)),
          locality: orNull(get(positions.locality)),
          suburb: orNull(get(positions.suburb)),
          postcode: orNull(get(positions.postcode)),
          state: orNull(get(positions.state)),
        },
      ],
      identifiers: identifier === null ? [] : [`soc_sec_id:${identifier}`],
    };
    return { record, person: /^rec-(\d+)-/.exec(id)?.[1] ?? id };
  });
}
