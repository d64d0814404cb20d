/**
 * Folding free text to the plain lower-case letters the matcher compares, so that "Zoë" finds
 * "Zoe", "O'Brien" finds "OBrien" and "Шевченко" finds "Shevchenko": people type names as their
 * keyboard, their documents and their memory allow.
 */

/**
 * Letters that decomposition leaves alone but that are written with plain Latin letters in
 * English-language records: special Latin letters, then Cyrillic and Greek by their common
 * (passport-style) romanisations.
 */
const TRANSLITERATIONS: ReadonlyMap<string, string> = new Map(Object.entries({
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i', ħ: 'h', ŧ: 't', ŋ: 'ng', ſ: 's',
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'e', є: 'ye', ж: 'zh', з: 'z', и: 'i', і: 'i', ї: 'yi',
  й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh',
  ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n',
  ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
}));

/** German and Scandinavian spellings write an umlaut as the vowel plus "e": Müller is also Mueller. */
const UMLAUT_SPELLINGS: ReadonlyMap<string, string> = new Map([['ä', 'ae'], ['ö', 'oe'], ['ü', 'ue']]);

const COMBINING_MARKS = /\p{M}/gu;
const UMLAUTS = /[äöü]/g;
const NON_ASCII = /[^\p{ASCII}]/gu;
// Hyphens, slashes and the like separate name parts; apostrophes and dots join them ("O'Brien", "St.").
const JOINERS = /['’‘`´.]/g;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

function foldLetters(lowered: string): string {
  // Decompose first: "й" becomes "и" + breve, "ά" becomes "α" + accent, and the marks drop.
  return lowered
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(NON_ASCII, (letter) => TRANSLITERATIONS.get(letter) ?? letter);
}

function cleanSeparators(folded: string): string {
  return folded.replace(JOINERS, '').replace(NOT_LETTER_OR_DIGIT, ' ').trim();
}

/**
 * The common case, plain ASCII, in one pass without regular expressions: a person index folds
 * every candidate of every search, so this is worth the few lines. Undefined when the text has
 * anything else in it.
 */
function foldAscii(text: string): string | undefined {
  let folded = '';
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 128) return undefined;
    if (code >= 65 && code <= 90) code += 32;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      if (pendingSpace && folded !== '') folded += ' ';
      pendingSpace = false;
      folded += String.fromCharCode(code);
    } else if (code !== 39 && code !== 46 && code !== 96) {
      // Anything but a joiner (' . `) separates.
      pendingSpace = true;
    }
  }
  return folded;
}

/**
 * Lower case, diacritics and special letters folded to plain Latin, joiners removed, anything else
 * between letters turned into single spaces: "  Zoë O'Brien-Smith " -> "zoe obrien smith".
 */
export function foldText(text: string): string {
  return foldAscii(text) ?? cleanSeparators(foldLetters(text.toLowerCase()));
}

/**
 * The other way the same text is commonly written, when there is one: "Müller" -> "mueller".
 * Undefined when the text has no umlaut.
 */
export function foldTextAlternative(text: string): string | undefined {
  const lowered = text.normalize('NFC').toLowerCase();
  if (!/[äöü]/.test(lowered)) return undefined;
  return cleanSeparators(foldLetters(lowered.replace(UMLAUTS, (letter) => UMLAUT_SPELLINGS.get(letter) ?? letter)));
}
