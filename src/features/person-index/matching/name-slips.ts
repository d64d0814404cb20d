const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const FIRST_LETTERS = 3;

/**
 * Every name one slip away from `name` in its first three letters: a letter left out, added,
 * changed, or two swapped. About 190 for any name: looked up exactly among the names people have.
 */
export function slipsInFirstLetters(name: string): string[] {
  const slips = new Set<string>();
  for (let at = 0; at < Math.min(FIRST_LETTERS, name.length); at++) {
    slips.add(name.slice(0, at) + name.slice(at + 1));
    if (at + 1 < name.length) slips.add(name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2));
    for (const letter of LETTERS) {
      slips.add(name.slice(0, at) + letter + name.slice(at + 1));
      slips.add(name.slice(0, at) + letter + name.slice(at));
    }
  }
  slips.delete(name);
  return [...slips];
}
