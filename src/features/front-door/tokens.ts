import { createHash, randomBytes, randomInt } from 'node:crypto';

/**
 * The secrets of the front door: a draft's private link, a report's status link, and its reference.
 * Links carry 256 random bits and only their SHA-256 is stored, as with sessions.
 */

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A sent draft's status link follows from the draft's own link, so a second press of "Send" (or a
 * retry after a dropped connection) finds the same report and shows the same status link.
 */
export function statusTokenFor(draftToken: string): string {
  return createHash('sha256').update(`hearth-report-status:${draftToken}`, 'utf8').digest('base64url');
}

/** No 0/O, 1/I/L, 5/S or 8/B: read aloud over the phone or copied by hand, a reference cannot be misread. */
const REFERENCE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY234679';

/** A short reference like "K7QD-M2XA": 26^8 (about 2 * 10^11) of them, drawn at random, so they reveal no count. */
export function newReference(): string {
  let out = '';
  for (let i = 0; i < 8; i += 1) {
    if (i === 4) out += '-';
    out += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  }
  return out;
}

/** A typed reference, forgiving of case, spaces and a missing hyphen. */
export function normaliseReference(typed: string): string | null {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '');
  if (!/^[A-Z0-9]{8}$/.test(compact)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}
