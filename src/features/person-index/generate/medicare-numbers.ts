/**
 * Synthetic Medicare card numbers that pass the check digit: 10 digits, the first 2 to 6, the 9th
 * a check digit over the first 8 (weights 1,3,7,9,1,3,7,9), the 10th an issue number.
 *
 * Each person gets their own number: the first 8 digits are the person's sequence number through
 * a seeded affine permutation of 0..49,999,999, so no two people share one (real cards are shared
 * by a family, told apart by an 11th digit; a benchmark that wants that can append it). The
 * numbers are made up: they are not, and cannot be looked up as, anyone's real card.
 */
import type { Random } from './random.ts';

const RANGE = 50_000_000; // 2^7 * 5^8: the 8-digit bodies 20000000..69999999
const WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9] as const;

export function medicareCheckDigit(firstEight: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (WEIGHTS[i] as number) * (firstEight.charCodeAt(i) - 48);
  return sum % 10;
}

export function createMedicareNumbers(random: Random): (sequence: number) => string {
  // A multiplier coprime with RANGE (odd, not a multiple of 5) makes n -> (a*n + b) mod RANGE a bijection.
  let multiplier = random.int(1_000_000, RANGE - 1);
  while (multiplier % 2 === 0 || multiplier % 5 === 0) multiplier++;
  const offset = random.int(0, RANGE - 1);
  return (sequence) => {
    if (sequence >= RANGE) throw new RangeError(`at most ${RANGE} distinct Medicare numbers`);
    const body = String(20_000_000 + ((multiplier * sequence + offset) % RANGE));
    return `${body}${medicareCheckDigit(body)}${random.int(1, 9)}`;
  };
}
