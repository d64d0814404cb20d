import { editDistance } from './edit-distance.ts';
import { jaroWinklerAtLeast } from './jaro-winkler.ts';
import type { FieldLevel, WeightTable } from './model.ts';
import type { NormalisedText } from './normalise-address.ts';
import type { PreparedAddress } from './prepare-record.ts';

type PlaceLevel = FieldLevel<'street'>;
type CodeLevel = FieldLevel<'postcode'>;

export interface AddressOutcome {
  readonly streetNumber: CodeLevel;
  readonly street: PlaceLevel;
  readonly locality: PlaceLevel;
  readonly suburb: PlaceLevel;
  readonly postcode: CodeLevel;
  readonly state: FieldLevel<'state'>;
  /** The street of one was written on the other's second line, and the other way round. */
  readonly linesCrossed: boolean;
  readonly query: PreparedAddress;
  readonly candidate: PreparedAddress;
}

const PLACE_TYPO = 0.92;
const PLACE_SIMILAR = 0.8;

/** Streets, localities and suburbs: spaces ignored ("winston hills"/"winstonhills"), then slips. */
export function comparePlaces(a: NormalisedText | null, b: NormalisedText | null): PlaceLevel {
  if (a === null || b === null) return 'missing';
  if (a.compact === b.compact) return 'exact';
  if (Math.min(a.compact.length, b.compact.length) >= 4 && editDistance(a.compact, b.compact, 1) <= 1) return 'typo';
  const similarity = jaroWinklerAtLeast(a.compact, b.compact, PLACE_SIMILAR);
  return similarity >= PLACE_TYPO ? 'typo' : similarity >= PLACE_SIMILAR ? 'similar' : 'disagree';
}

/**
 * Postcodes and street numbers: one digit wrong or two swapped is a slip, not another place;
 * except on a one-digit number, where any other number is one slip away.
 */
export function compareCodes(a: NormalisedText | null, b: NormalisedText | null): CodeLevel {
  if (a === null || b === null) return 'missing';
  if (a.compact === b.compact) return 'exact';
  if (Math.min(a.compact.length, b.compact.length) < 2) return 'disagree';
  return editDistance(a.compact, b.compact, 1) <= 1 ? 'typo' : 'disagree';
}

function compareStates(a: NormalisedText | null, b: NormalisedText | null): FieldLevel<'state'> {
  if (a === null || b === null) return 'missing';
  return a.compact === b.compact ? 'exact' : 'disagree';
}

function compareAddressPair(query: PreparedAddress, candidate: PreparedAddress, weights: WeightTable): { outcome: AddressOutcome; weight: number } {
  const streetNumber = compareCodes(query.streetNumber, candidate.streetNumber);
  const suburb = comparePlaces(query.suburb, candidate.suburb);
  const postcode = compareCodes(query.postcode, candidate.postcode);
  const state = compareStates(query.state, candidate.state);
  const common = (weights.street_number[streetNumber] ?? 0) + (weights.suburb[suburb] ?? 0) + (weights.postcode[postcode] ?? 0) + (weights.state[state] ?? 0);
  let street = comparePlaces(query.street, candidate.street);
  let locality = comparePlaces(query.locality, candidate.locality);
  let lines = (weights.street[street] ?? 0) + (weights.locality[locality] ?? 0);
  let linesCrossed = false;
  // Address lines are often written in either order ("Unit 4, The Grange" / "The Grange, Unit 4").
  if (street !== 'exact' && locality !== 'exact' && (query.locality !== null || candidate.locality !== null)) {
    const crossedStreet = comparePlaces(query.street, candidate.locality);
    const crossedLocality = comparePlaces(query.locality, candidate.street);
    const crossedLines = (weights.street[crossedStreet] ?? 0) + (weights.locality[crossedLocality] ?? 0);
    if (crossedLines > lines) {
      street = crossedStreet;
      locality = crossedLocality;
      lines = crossedLines;
      linesCrossed = true;
    }
  }
  return { outcome: { streetNumber, street, locality, suburb, postcode, state, linesCrossed, query, candidate }, weight: common + lines };
}

/** Every address of one against every address of the other (people move): the pair that weighs most. */
export function compareAddresses(query: readonly PreparedAddress[], candidate: readonly PreparedAddress[], weights: WeightTable): { outcome: AddressOutcome; weight: number } | null {
  let best: { outcome: AddressOutcome; weight: number } | null = null;
  for (const queryAddress of query) {
    for (const candidateAddress of candidate) {
      const compared = compareAddressPair(queryAddress, candidateAddress, weights);
      if (best === null || compared.weight > best.weight) best = compared;
    }
  }
  return best;
}
