import { foldText } from './fold-text.ts';

/** A piece of an address as the matcher compares it. */
export interface NormalisedText {
  readonly display: string;
  /** Folded, abbreviations expanded, single spaces. */
  readonly full: string;
  /** Without spaces: "pridhamstreet" and "pridham street" are the same street. */
  readonly compact: string;
}

/** Street types as Australia Post and Royal Mail abbreviate them, written out so "St" meets "Street". */
const STREET_TYPES: ReadonlyMap<string, string> = new Map(Object.entries({
  st: 'street', str: 'street', rd: 'road', ave: 'avenue', av: 'avenue', pl: 'place', cres: 'crescent', cr: 'crescent',
  cct: 'circuit', cir: 'circuit', dr: 'drive', drv: 'drive', ct: 'court', crt: 'court', tce: 'terrace', terr: 'terrace',
  hwy: 'highway', pde: 'parade', cl: 'close', ln: 'lane', gr: 'grove', gve: 'grove', bvd: 'boulevard', blvd: 'boulevard',
  sq: 'square', esp: 'esplanade', wy: 'way', pkwy: 'parkway', cnr: 'corner', mt: 'mount', nth: 'north', sth: 'south',
  gdns: 'gardens', gdn: 'garden', apt: 'apartment', flt: 'flat', u: 'unit', vlge: 'village', hts: 'heights',
}));

/** Australian states written out, as forms and people often write them. */
const STATES: ReadonlyMap<string, string> = new Map(Object.entries({
  'new south wales': 'nsw', victoria: 'vic', queensland: 'qld', 'south australia': 'sa', 'western australia': 'wa',
  tasmania: 'tas', 'northern territory': 'nt', 'australian capital territory': 'act',
}));

const MAX_ADDRESS_LENGTH = 120;

function textOf(display: string, full: string): NormalisedText | null {
  return full === '' ? null : { display, full, compact: full.includes(' ') ? full.split(' ').join('') : full };
}

/** A street, a locality line or a suburb: folded, with abbreviated words written out. */
export function normalisePlace(raw: string | null | undefined): NormalisedText | null {
  if (raw === null || raw === undefined) return null;
  const display = raw.trim().slice(0, MAX_ADDRESS_LENGTH);
  const full = foldText(display)
    .split(' ')
    .map((word) => STREET_TYPES.get(word) ?? word)
    .join(' ');
  return textOf(display, full);
}

/** Postcodes and street numbers: letters and digits only ("SW1A 1AA" is "sw1a1aa"). */
export function normaliseCode(raw: string | null | undefined): NormalisedText | null {
  if (raw === null || raw === undefined) return null;
  const display = raw.trim().slice(0, MAX_ADDRESS_LENGTH);
  return textOf(display, foldText(display).replace(/ /g, ''));
}

export function normaliseState(raw: string | null | undefined): NormalisedText | null {
  if (raw === null || raw === undefined) return null;
  const display = raw.trim().slice(0, MAX_ADDRESS_LENGTH);
  const folded = foldText(display);
  return textOf(display, STATES.get(folded) ?? folded);
}
