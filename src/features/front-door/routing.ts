import type { Office } from '../../practice/pack.ts';

/** The part of a child's address that decides which office a report goes to. */
export interface RoutingAddress {
  readonly postcode?: string | null | undefined;
  readonly suburb?: string | null | undefined;
}

export type RoutingDecision =
  | { readonly routed: true; readonly office: Office; readonly by: 'postcode' | 'suburb' }
  | { readonly routed: false; readonly reason: 'no address' | 'not covered' | 'suburb in more than one office' };

/** "St Mary's", "st marys" and "ST. MARYS" alike: no case, accents, apostrophes or full stops. */
const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’.]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * Which office covers a child's address: by postcode when there is one (each postcode belongs to
 * one office at most, which the pack's schema checks), else by suburb, spelt however it was typed.
 * Not routed: the report goes to the pack's unrouted queue, which a manager sees, never nowhere.
 */
export function officeFor(offices: readonly Office[], address: RoutingAddress): RoutingDecision {
  const postcode = address.postcode?.trim();
  if (postcode) {
    const n = /^\d{4}$/.test(postcode) ? Number(postcode) : Number.NaN;
    const office = offices.find((o) => o.postcodes.some((r) => Number(r.from) <= n && n <= Number(r.to)));
    return office ? { routed: true, office, by: 'postcode' } : { routed: false, reason: 'not covered' };
  }
  const suburb = address.suburb ? fold(address.suburb) : '';
  if (!suburb) return { routed: false, reason: 'no address' };
  const covering = offices.filter((o) => o.suburbs.some((s) => fold(s) === suburb));
  if (covering.length > 1) return { routed: false, reason: 'suburb in more than one office' };
  return covering[0] ? { routed: true, office: covering[0], by: 'suburb' } : { routed: false, reason: 'not covered' };
}
