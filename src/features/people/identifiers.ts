/** Identifiers a person may hold, and the checks that catch a mistyped number before it is saved. */

export const IDENTIFIER_TYPE_VALUES = ['medicare', 'nhs_number', 'centrelink_crn', 'upn', 'other'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPE_VALUES)[number];
export const IDENTIFIER_TYPE_LABELS: Record<IdentifierType, string> = {
  medicare: 'Medicare card number',
  nhs_number: 'NHS number',
  centrelink_crn: 'Centrelink customer reference number',
  upn: 'Unique pupil number (UPN)',
  other: 'Other identifier',
};

/** Removes the spaces and hyphens people type between groups of digits. */
export function normaliseIdentifier(type: IdentifierType, value: string): string {
  return type === 'other' ? value.trim() : value.replace(/[\s-]+/g, '').toUpperCase();
}

/** An identifier grouped as it is printed on the card or letter: 2123 45670 1, 943 476 5919. */
export function displayIdentifier(type: IdentifierType, value: string): string {
  const groups: Partial<Record<IdentifierType, readonly number[]>> = { medicare: [4, 5, 1, 1], nhs_number: [3, 3, 4] };
  const sizes = groups[type];
  if (!sizes || !/^\d+$/.test(value)) return value;
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= value.length) break;
    parts.push(value.slice(at, at + size));
    at += size;
  }
  return parts.join(' ');
}

/** Why the value cannot be this kind of identifier, or undefined when it can. */
export function identifierProblem(type: IdentifierType, value: string): string | undefined {
  switch (type) {
    case 'medicare':
      return isMedicareNumber(value) ? undefined : 'Enter a Medicare card number of 10 digits, as on the card, like 2123 45670 1';
    case 'nhs_number':
      return isNhsNumber(value) ? undefined : 'Enter a valid 10-digit NHS number, like 943 476 5919';
    case 'centrelink_crn':
      return /^\d{9}[A-Z]$/.test(value) ? undefined : 'Enter a Centrelink reference number of 9 digits and a letter, like 123456789A';
    case 'upn':
      return /^[A-Z]\d{11}[0-9A-Z]$/.test(value) ? undefined : 'Enter a unique pupil number of 13 characters, like A12345678901B';
    case 'other':
      return value.length > 0 ? undefined : 'Enter the identifier';
  }
}

/**
 * Medicare card numbers: 10 digits (an 11th, the person's position on the card, is allowed).
 * The first digit is 2 to 6; the 9th is a check digit over the first 8 with weights 1,3,7,9,1,3,7,9.
 */
export function isMedicareNumber(value: string): boolean {
  if (!/^[2-6]\d{9}\d?$/.test(value)) return false;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9];
  const sum = weights.reduce((total, weight, i) => total + weight * Number(value[i]), 0);
  return sum % 10 === Number(value[8]);
}

/** NHS numbers: 10 digits, the last a modulus-11 check digit (a check value of 10 is never issued). */
export function isNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const sum = [...value.slice(0, 9)].reduce((total, digit, i) => total + Number(digit) * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(value[9]);
}
