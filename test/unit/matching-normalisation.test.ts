import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { foldText, foldTextAlternative } from '../../src/features/person-index/matching/fold-text.ts';
import { normaliseCode, normalisePlace, normaliseState } from '../../src/features/person-index/matching/normalise-address.ts';
import { normaliseName } from '../../src/features/person-index/matching/normalise-name.ts';

describe('foldText: the letters the matcher compares', () => {
  it('lower-cases and folds diacritics', () => {
    assert.equal(foldText('Zoë'), 'zoe');
    assert.equal(foldText('José María'), 'jose maria');
    assert.equal(foldText('Nguyễn Thị'), 'nguyen thi');
    assert.equal(foldText('Françoise'), 'francoise');
  });

  it('transliterates letters that do not decompose, and Cyrillic and Greek', () => {
    assert.equal(foldText('Müller'), 'muller');
    assert.equal(foldText('Straße'), 'strasse');
    assert.equal(foldText('Łukasz Søren Æsa'), 'lukasz soren aesa');
    assert.equal(foldText('Шевченко'), 'shevchenko');
    assert.equal(foldText('Σωκράτης'), 'sokratis');
  });

  it('joins across apostrophes and dots, separates at hyphens and other punctuation', () => {
    assert.equal(foldText("O'Brien"), 'obrien');
    assert.equal(foldText('O’Brien'), 'obrien');
    assert.equal(foldText('  Smith-Jones  '), 'smith jones');
    assert.equal(foldText('St. John'), 'st john');
    assert.equal(foldText('a/b_c,d'), 'a b c d');
    assert.equal(foldText('!!!'), '');
  });

  it('gives the umlaut spelling as the alternative: Müller is also Mueller', () => {
    assert.equal(foldTextAlternative('Müller'), 'mueller');
    assert.equal(foldTextAlternative('Jörg Schröder'), 'joerg schroeder');
    assert.equal(foldTextAlternative('Muller'), undefined);
  });

  it('is idempotent and never leaves capitals, double spaces or edge spaces', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const folded = foldText(text);
        assert.equal(foldText(folded), folded);
        assert.doesNotMatch(folded, /[A-Z]| {2}|^ | $/);
      }),
    );
  });
});

describe('normaliseName', () => {
  it('splits hyphenated and double-barrelled names into parts', () => {
    const name = normaliseName('Smith-Jones');
    assert.deepEqual(name?.parts, ['smith', 'jones']);
    assert.equal(name?.full, 'smith jones');
    assert.equal(name?.compact, 'smithjones');
    assert.deepEqual(normaliseName('Bonham Carter')?.parts, ['bonham', 'carter']);
  });

  it('drops titles and suffixes, but never the whole name', () => {
    assert.equal(normaliseName('Dr John')?.full, 'john');
    assert.equal(normaliseName('Mrs. Margaret')?.full, 'margaret');
    assert.equal(normaliseName('Smith Jr')?.full, 'smith');
    assert.equal(normaliseName('Windsor III')?.full, 'windsor');
    assert.equal(normaliseName('Miss')?.full, 'miss', 'a lone word stays: someone may be called that');
  });

  it('keeps the umlaut spelling as an alternative, without spaces', () => {
    assert.equal(normaliseName('Müller')?.compact, 'muller');
    assert.equal(normaliseName('Müller')?.alternative, 'mueller');
    assert.equal(normaliseName('Muller')?.alternative, undefined);
  });

  it('treats empty names and the placeholders records use for an unknown name as missing', () => {
    for (const placeholder of ['', '   ', '--', 'Baby', 'UNBORN', 'Unknown', 'NFN', 'baby of']) {
      assert.equal(normaliseName(placeholder), null, placeholder);
    }
    assert.equal(normaliseName(null), null);
    assert.equal(normaliseName(undefined), null);
  });

  it('caps absurdly long input', () => {
    const name = normaliseName('a'.repeat(10_000));
    assert.ok(name !== null && name.compact.length <= 100);
  });
});

describe('address pieces', () => {
  it('writes out street types so "St" meets "Street"', () => {
    assert.equal(normalisePlace('12 Wallaby Pl.')?.full, '12 wallaby place');
    assert.equal(normalisePlace('Pridham St')?.compact, 'pridhamstreet');
    assert.equal(normalisePlace('pridhamstreet')?.compact, 'pridhamstreet');
  });

  it('reads postcodes and states the way they are written', () => {
    assert.equal(normaliseCode('SW1A 1AA')?.compact, 'sw1a1aa');
    assert.equal(normaliseState('New South Wales')?.compact, 'nsw');
    assert.equal(normaliseState('NSW')?.compact, 'nsw');
    assert.equal(normaliseCode('  '), null);
  });

  it('is not fooled by words that are also names of object properties', () => {
    assert.equal(normalisePlace('constructor street')?.full, 'constructor street');
    assert.equal(normaliseState('constructor')?.full, 'constructor');
  });
});
