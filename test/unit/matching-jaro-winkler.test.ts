import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { editDistance } from '../../src/features/person-index/matching/edit-distance.ts';
import { jaro, jaroWinkler, jaroWinklerAtLeast } from '../../src/features/person-index/matching/jaro-winkler.ts';

const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 0.001, `${actual} is not about ${expected}`);

describe('Jaro-Winkler', () => {
  it('gives the published values (Winkler 1990; Cohen et al. 2003)', () => {
    close(jaro('martha', 'marhta'), 0.944);
    close(jaroWinkler('martha', 'marhta'), 0.961);
    close(jaro('dwayne', 'duane'), 0.822);
    close(jaroWinkler('dwayne', 'duane'), 0.84);
    close(jaro('dixon', 'dicksonx'), 0.767);
    close(jaroWinkler('dixon', 'dicksonx'), 0.813);
  });

  it('is 1 for the same string and 0 with nothing in common or nothing at all', () => {
    assert.equal(jaroWinkler('smith', 'smith'), 1);
    assert.equal(jaroWinkler('abc', 'xyz'), 0);
    assert.equal(jaroWinkler('', 'smith'), 0);
    assert.equal(jaroWinkler('', ''), 1);
  });

  it('rewards a shared beginning', () => {
    assert.ok(jaroWinkler('catherine', 'catherina') > jaroWinkler('catherine', 'katherine'));
  });

  it('is symmetric and between 0 and 1, for strings of any length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 150 }), fc.string({ maxLength: 150 }), (a, b) => {
        const score = jaroWinkler(a, b);
        close(score, jaroWinkler(b, a));
        assert.ok(score >= 0 && score <= 1 + 1e-12);
      }),
    );
  });

  it('jaroWinklerAtLeast gives the same score whenever it could reach the floor, else 0', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, floor) => {
        const full = jaroWinkler(a, b);
        const quick = jaroWinklerAtLeast(a, b, floor);
        if (full >= floor) assert.equal(quick, full);
        else assert.ok(quick === 0 || quick === full);
      }),
    );
  });
});

describe('editDistance (optimal string alignment)', () => {
  it('counts an adjacent transposition as one slip', () => {
    assert.equal(editDistance('smith', 'smiht'), 1);
    assert.equal(editDistance('smith', 'smyth'), 1);
    assert.equal(editDistance('smith', 'smit'), 1);
    assert.equal(editDistance('smith', 'schmidt'), 4);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('stops early past the limit, returning limit + 1', () => {
    assert.equal(editDistance('abcdef', 'uvwxyz', 1), 2);
    assert.equal(editDistance('a', 'abcdef', 2), 3);
  });

  it('agrees with itself however the limit is set, and is symmetric', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), fc.nat({ max: 4 }), (a, b, limit) => {
        const distance = editDistance(a, b);
        assert.equal(distance, editDistance(b, a));
        assert.equal(editDistance(a, b, limit), Math.min(distance, limit + 1));
      }),
    );
  });
});
