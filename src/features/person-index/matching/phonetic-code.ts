import { doubleMetaphone } from 'double-metaphone';

/**
 * Double Metaphone codes (primary, then the alternative when it differs): "Smyth" and "Smith" are
 * both SM0, "Catherine" and "Kathryn" both K0RN. Names repeat endlessly across a person index, so
 * codes are remembered; the memory is bounded so a stream of odd input cannot grow it for ever.
 */
const codesByName = new Map<string, readonly string[]>();
const MAX_REMEMBERED = 50_000;

export function phoneticCodes(name: string): readonly string[] {
  const remembered = codesByName.get(name);
  if (remembered !== undefined) return remembered;
  const [primary, alternative] = doubleMetaphone(name);
  const codes = primary === '' ? [] : alternative === '' || alternative === primary ? [primary] : [primary, alternative];
  if (codesByName.size >= MAX_REMEMBERED) codesByName.clear();
  codesByName.set(name, codes);
  return codes;
}

/** The primary code: the one blocking keys use, so that each name gives one key. */
export function primaryPhoneticCode(name: string): string {
  return phoneticCodes(name)[0] ?? name;
}

export function soundAlike(a: readonly string[], b: readonly string[]): boolean {
  return a.some((code) => b.includes(code));
}
