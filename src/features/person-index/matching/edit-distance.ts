/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), the count of
 * keying slips between two strings: "smiht" is one slip from "smith", not two.
 * Stops early and returns `limit + 1` once the distance must exceed `limit`, because the matcher
 * only asks "is this one or two slips away?".
 */

let previousRow = new Int32Array(64);
let row = new Int32Array(64);
let nextRow = new Int32Array(64);

export function editDistance(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  const lengthA = a.length;
  const lengthB = b.length;
  if (Math.abs(lengthA - lengthB) > limit) return limit + 1;
  if (lengthA === 0) return lengthB;
  if (lengthB === 0) return lengthA;
  if (row.length <= lengthB) {
    previousRow = new Int32Array((lengthB + 1) * 2);
    row = new Int32Array((lengthB + 1) * 2);
    nextRow = new Int32Array((lengthB + 1) * 2);
  }
  // previousRow: i-2, row: i-1, nextRow: i
  for (let j = 0; j <= lengthB; j++) row[j] = j;
  for (let i = 1; i <= lengthA; i++) {
    nextRow[0] = i;
    let rowMinimum = i;
    const codeA = a.charCodeAt(i - 1);
    for (let j = 1; j <= lengthB; j++) {
      const codeB = b.charCodeAt(j - 1);
      const cost = codeA === codeB ? 0 : 1;
      let best = Math.min((row[j] ?? 0) + 1, (nextRow[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && codeA === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === codeB) {
        best = Math.min(best, (previousRow[j - 2] ?? 0) + 1);
      }
      nextRow[j] = best;
      if (best < rowMinimum) rowMinimum = best;
    }
    if (rowMinimum > limit) return limit + 1;
    const spare = previousRow;
    previousRow = row;
    row = nextRow;
    nextRow = spare;
  }
  const distance = row[lengthB] ?? 0;
  return distance > limit ? limit + 1 : distance;
}
