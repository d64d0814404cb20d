import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { displayIdentifier, identifierProblem, isMedicareNumber, isNhsNumber, normaliseIdentifier } from '../../src/features/people/identifiers.ts';
import { RELATIONSHIP_TYPE_VALUES, relationshipLabel } from '../../src/features/people/relationship-types.ts';
import { dateParts, parseDateParts, type DateRules } from '../../src/platform/http/date-field.ts';
import { formToInput, validateForm, validateFormWithDates } from '../../src/platform/http/forms.ts';
import { optionalText, requiredText, versionField } from '../../src/platform/http/text-fields.ts';
import { ageInYears, isoDateIn, longDate, longDateTime } from '../../src/platform/time.ts';

const TODAY = '2025-06-15';
const rules = (extra: Partial<DateRules> = {}): DateRules => ({ label: 'Date of birth', today: TODAY, ...extra });

describe('parseDateParts: a GOV.UK date input', () => {
  it('joins a real date into YYYY-MM-DD, padding the day and month and trimming spaces', () => {
    assert.deepEqual(parseDateParts('3', '4', '2017', rules()), { ok: true, value: '2017-04-03' });
    assert.deepEqual(parseDateParts(' 09 ', '12', ' 1999 ', rules()), { ok: true, value: '1999-12-09' });
    assert.deepEqual(parseDateParts(['1', '2'], ['1'], ['2000'], rules()), { ok: true, value: '2000-01-01' }, 'a field sent twice counts once');
  });

  it('knows leap years: 29 February only when the year has one', () => {
    assert.deepEqual(parseDateParts('29', '2', '2024', rules()), { ok: true, value: '2024-02-29' });
    assert.deepEqual(parseDateParts('29', '2', '2000', rules()), { ok: true, value: '2000-02-29' });
    for (const year of ['2023', '1900', '2100']) {
      assert.deepEqual(parseDateParts('29', '2', year, rules()), { ok: false, message: 'Date of birth must be a real date', focus: 'day' }, year);
    }
  });

  it('refuses days and months that do not exist', () => {
    for (const [d, m] of [['31', '4'], ['32', '1'], ['0', '1'], ['1', '13'], ['1', '0'], ['00', '00']]) {
      const result = parseDateParts(d, m, '2020', rules());
      assert.equal(result.ok, false, `${d}/${m}`);
      assert.equal(!result.ok && result.message, 'Date of birth must be a real date');
    }
  });

  it('asks for what is missing, in the Design System\'s words, focusing the first missing box', () => {
    assert.deepEqual(parseDateParts('', '', '', rules({ required: true })), { ok: false, message: 'Enter date of birth', focus: 'day' });
    assert.deepEqual(parseDateParts('', '', '', rules()), { ok: true, value: null }, 'an optional date may be left empty');
    assert.deepEqual(parseDateParts(undefined, '  ', null, rules()), { ok: true, value: null });
    assert.deepEqual(parseDateParts('3', '', '2017', rules()), { ok: false, message: 'Date of birth must include a month', focus: 'month' });
    assert.deepEqual(parseDateParts('', '4', '2017', rules()), { ok: false, message: 'Date of birth must include a day', focus: 'day' });
    assert.deepEqual(parseDateParts('3', '4', '', rules()), { ok: false, message: 'Date of birth must include a year', focus: 'year' });
    assert.deepEqual(parseDateParts('3', '', '', rules()), { ok: false, message: 'Date of birth must include a month and year', focus: 'month' });
    assert.deepEqual(parseDateParts('', '', '2017', rules()), { ok: false, message: 'Date of birth must include a day and month', focus: 'day' });
  });

  it('needs a 4-digit year', () => {
    for (const year of ['17', '017', '20170', 'two', '2O17']) {
      assert.deepEqual(parseDateParts('3', '4', year, rules()), { ok: false, message: 'Year must include 4 numbers', focus: 'year' }, year);
    }
  });

  it('refuses words and signs in the day or month, focusing the box at fault', () => {
    assert.deepEqual(parseDateParts('third', '4', '2017', rules()), { ok: false, message: 'Date of birth must be a real date', focus: 'day' });
    assert.deepEqual(parseDateParts('3', 'April', '2017', rules()), { ok: false, message: 'Date of birth must be a real date', focus: 'month' });
    assert.deepEqual(parseDateParts('-1', '4', '2017', rules()), { ok: false, message: 'Date of birth must be a real date', focus: 'day' });
    assert.equal(parseDateParts('١', '4', '2017', rules()).ok, false, 'only ASCII digits');
  });

  it('applies the date rules: not in the future, not before the earliest', () => {
    assert.deepEqual(parseDateParts('15', '6', '2025', rules({ notInFuture: true })), { ok: true, value: TODAY });
    assert.deepEqual(parseDateParts('16', '6', '2025', rules({ notInFuture: true })), { ok: false, message: 'Date of birth must be today or in the past', focus: 'day' });
    assert.deepEqual(parseDateParts('16', '6', '2025', rules()), { ok: true, value: '2025-06-16' });
    assert.deepEqual(parseDateParts('31', '12', '1899', rules({ earliest: '1900-01-01' })), {
      ok: false,
      message: 'Date of birth must be on or after 1 January 1900',
      focus: 'year',
    });
  });

  it('accepts exactly the real calendar dates, for any day, month and year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1000, max: 9999 }), (d, m, y) => {
        const result = parseDateParts(String(d), String(m), String(y), rules());
        const date = new Date(Date.UTC(y, m - 1, d));
        const real = m >= 1 && m <= 12 && d >= 1 && date.getUTCDate() === d && date.getUTCMonth() === m - 1;
        assert.equal(result.ok, real);
        if (result.ok) {
          assert.equal(result.value, date.toISOString().slice(0, 10));
          assert.deepEqual(dateParts(result.value), { day: String(d), month: String(m), year: String(y) }, 'the boxes are filled back the same');
        }
      }),
    );
  });
});

describe('validateForm and validateFormWithDates', () => {
  const schema = z.object({
    familyName: requiredText({ label: 'family name', message: 'Enter a family name', max: 100 }),
    dateOfBirth: z.string().nullable(),
    notes: requiredText({ label: 'notes', message: 'Enter some notes', max: 100, multiline: true }),
  });
  const DOB = [{ name: 'dateOfBirth', label: 'Date of birth', required: true, notInFuture: true }];

  it('lists errors in the order the fields appear on the form, each linking to its box', () => {
    const body = { familyName: '', 'dateOfBirth-day': '', 'dateOfBirth-month': '4', 'dateOfBirth-year': '2017', notes: ' ' };
    const result = validateFormWithDates(schema, body, DOB, TODAY);
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.errors.summary, [
      { text: 'Enter a family name', href: '#familyName' },
      { text: 'Date of birth must include a day', href: '#dateOfBirth-day' },
      { text: 'Enter some notes', href: '#notes' },
    ]);
    assert.deepEqual(!result.ok && result.errors.fields, {
      familyName: { text: 'Enter a family name' },
      dateOfBirth: { text: 'Date of birth must include a day' },
      notes: { text: 'Enter some notes' },
    });
  });

  it('follows the form\'s order, whatever it is', () => {
    const body = { notes: '', 'dateOfBirth-day': '1', 'dateOfBirth-month': '', 'dateOfBirth-year': '', familyName: '' };
    const result = validateFormWithDates(schema, body, DOB, TODAY);
    assert.deepEqual(!result.ok && result.errors.summary.map((e) => e.href), ['#notes', '#dateOfBirth-month', '#familyName']);
  });

  it('focuses the day box for a date missing altogether, or not real', () => {
    const missing = validateFormWithDates(schema, { familyName: 'A', notes: 'B' }, DOB, TODAY);
    assert.deepEqual(!missing.ok && missing.errors.summary, [{ text: 'Enter date of birth', href: '#dateOfBirth-day' }]);
    const unreal = validateFormWithDates(schema, { familyName: 'A', 'dateOfBirth-day': '30', 'dateOfBirth-month': '2', 'dateOfBirth-year': '2020', notes: 'B' }, DOB, TODAY);
    assert.deepEqual(!unreal.ok && unreal.errors.summary, [{ text: 'Date of birth must be a real date', href: '#dateOfBirth-day' }]);
  });

  it('joins the boxes into one field and drops them, when all is well', () => {
    const result = validateFormWithDates(schema, { familyName: ' Smith ', 'dateOfBirth-day': '3', 'dateOfBirth-month': '4', 'dateOfBirth-year': '2017', notes: 'x', _csrf: 't' }, DOB, TODAY);
    assert.deepEqual(result, { ok: true, value: { familyName: 'Smith', dateOfBirth: '2017-04-03', notes: 'x' } });
  });

  it('uses an issue\'s focus for its link, and otherwise the field\'s own id', () => {
    const refined = z
      .object({ from: z.string(), until: z.string() })
      .refine((v) => v.until >= v.from, { message: 'Until must be after from', path: ['until'], params: { focus: 'until-day' } });
    const result = validateForm(refined, { from: '2020-01-02', until: '2020-01-01' });
    assert.deepEqual(!result.ok && result.errors.summary, [{ text: 'Until must be after from', href: '#until-day' }]);
    const plain = validateForm(schema, { familyName: '', dateOfBirth: null, notes: 'x' });
    assert.deepEqual(!plain.ok && plain.errors.summary, [{ text: 'Enter a family name', href: '#familyName' }]);
  });

  it('reads a form\'s checkboxes and lists, and takes the first of a field sent twice', () => {
    assert.deepEqual(formToInput({ a: ['1', '2'], tick: 'yes', off: 'no', langs: ' English, ,Auslan ' }, { booleans: ['tick', 'off', 'absent'], lists: ['langs', 'none'] }), {
      a: '1',
      tick: true,
      off: false,
      absent: false,
      langs: ['English', 'Auslan'],
      none: [],
    });
    assert.deepEqual(formToInput('not an object'), {});
    assert.deepEqual(formToInput(['a']), {});
  });
});

describe('requiredText and optionalText', () => {
  const name = requiredText({ label: 'family name', message: 'Enter a family name', max: 20 });
  const notes = optionalText({ label: 'notes', max: 40, multiline: true });
  const message = (result: { success: boolean; error?: z.ZodError }) => result.error?.issues[0]?.message;

  it('trims, collapses inner spaces on one line, and keeps line breaks where text may have them', () => {
    assert.equal(name.parse('  Smith  '), 'Smith');
    assert.equal(name.parse('van \t der  Berg'), 'van der Berg');
    assert.equal(notes.parse('  line one\r\nline two  '), 'line one\nline two');
    assert.equal(name.parse('a\nb'), 'a b', 'a single-line field turns a line break into a space');
  });

  it('stores text in NFC, so the same name is the same bytes however it was typed', () => {
    const decomposed = 'Zoe\u0301';
    assert.equal(name.parse(decomposed), 'Zoé');
    assert.equal(name.parse(decomposed), name.parse('Zoé'));
  });

  it('refuses control characters, NUL and lone surrogates', () => {
    for (const bad of ['a\u0000b', 'bell\u0007', 'esc\u001B[0m', 'del\u007F', 'c1\u0085', 'x\uD800']) {
      const result = name.safeParse(bad);
      assert.equal(result.success, false, JSON.stringify(bad));
      assert.match(message(result) ?? '', /^Family name contains characters Hearth cannot store/);
    }
    assert.equal(notes.safeParse('tab\there\nand a new line').success, true);
    assert.equal(notes.safeParse('vertical\u000Btab').success, false);
  });

  it('says how long text may be', () => {
    assert.equal(message(name.safeParse('x'.repeat(21))), 'Family name must be 20 characters or fewer');
    assert.equal(name.parse('x'.repeat(20)), 'x'.repeat(20));
  });

  it('asks for required text that is missing, empty or only spaces, and refuses other types', () => {
    for (const missing of [undefined, '', '   ', '\n']) assert.equal(message(name.safeParse(missing)), 'Enter a family name', JSON.stringify(missing));
    assert.equal(message(name.safeParse(42)), 'Enter a family name');
    assert.equal(notes.safeParse(['a']).success, false);
    assert.equal(notes.safeParse({ toString: 'x' }).success, false);
  });

  it('turns missing, null or blank optional text into null', () => {
    for (const blank of [undefined, null, '', '  ']) assert.equal(notes.parse(blank), null, JSON.stringify(blank));
  });

  it('never lets through text PostgreSQL could refuse, whatever is sent', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }), (input) => {
        const result = notes.safeParse(input);
        if (result.success && result.data !== null) {
          assert.ok(!result.data.includes('\u0000'));
          assert.ok(result.data.isWellFormed());
          assert.equal(result.data, result.data.normalize('NFC'));
          assert.equal(result.data, result.data.trim());
        }
      }),
    );
  });

  it('reads a version number sent back by a form, and refuses anything else', () => {
    assert.equal(versionField.parse('3'), 3);
    for (const bad of ['0', '-1', '1.5', 'abc', '', '2147483648', 'Infinity']) assert.equal(versionField.safeParse(bad).success, false, bad);
  });
});

describe('identifiers', () => {
  it('checks a Medicare card number by its check digit', () => {
    assert.equal(isMedicareNumber('2123456701'), true);
    assert.equal(isMedicareNumber('21234567011'), true, 'with the position on the card');
    assert.equal(isMedicareNumber('2123456702'), true, 'the issue number (10th digit) is not part of the check');
    assert.equal(isMedicareNumber('2123456711'), false, 'a changed check digit (9th)');
    assert.equal(isMedicareNumber('2133456701'), false, 'a changed digit');
    assert.equal(isMedicareNumber('1123456701'), false, 'the first digit is 2 to 6');
    assert.equal(isMedicareNumber('212345670'), false, 'too short');
    assert.equal(isMedicareNumber('2123 45670 1'), false, 'spaces are removed before the check');
  });

  it('catches any single changed digit of a Medicare number\'s first nine', () => {
    const valid = '2123456701';
    for (let i = 0; i < 9; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === valid[i]) continue;
        const changed = valid.slice(0, i) + d + valid.slice(i + 1);
        // Every weight (1, 3, 7, 9) is coprime to 10, so no single changed digit keeps the sum mod 10.
        assert.equal(isMedicareNumber(changed), false, changed);
      }
    }
  });

  it('checks an NHS number by its modulus-11 check digit', () => {
    assert.equal(isNhsNumber('9434765919'), true);
    assert.equal(isNhsNumber('9434765918'), false);
    assert.equal(isNhsNumber('943476591'), false);
    assert.equal(isNhsNumber('94347659190'), false);
    assert.equal(isNhsNumber('943476591X'), false);
    assert.equal(isNhsNumber('4010232137'), true, 'a second known-good number');
  });

  it('normalises what people type before checking it, and explains what is wrong', () => {
    assert.equal(normaliseIdentifier('medicare', '2123 45670-1'), '2123456701');
    assert.equal(normaliseIdentifier('nhs_number', '943 476 5919'), '9434765919');
    assert.equal(normaliseIdentifier('other', '  Case ref 7  '), 'Case ref 7');
    assert.equal(identifierProblem('medicare', '2123456701'), undefined);
    assert.match(identifierProblem('medicare', '2123456801') ?? '', /^Enter a Medicare card number of 10 digits/);
    assert.match(identifierProblem('nhs_number', '9434765918') ?? '', /^Enter a valid 10-digit NHS number/);
    assert.equal(identifierProblem('centrelink_crn', '123456789A'), undefined);
    assert.equal(identifierProblem('upn', 'A12345678901B'), undefined);
    assert.equal(identifierProblem('other', ''), 'Enter the identifier');
  });

  it('shows numbers grouped as they are printed', () => {
    assert.equal(displayIdentifier('medicare', '2123456701'), '2123 45670 1');
    assert.equal(displayIdentifier('medicare', '21234567011'), '2123 45670 1 1');
    assert.equal(displayIdentifier('nhs_number', '9434765919'), '943 476 5919');
    assert.equal(displayIdentifier('upn', 'A12345678901B'), 'A12345678901B');
    assert.equal(displayIdentifier('other', 'Case ref 7'), 'Case ref 7');
  });
});

describe('relationshipLabel', () => {
  it('says what each side is to the other', () => {
    assert.equal(relationshipLabel('parent', true), 'Parent');
    assert.equal(relationshipLabel('parent', false), 'Child');
    assert.equal(relationshipLabel('aunt_or_uncle', true), 'Aunt or uncle');
    assert.equal(relationshipLabel('aunt_or_uncle', false), 'Niece or nephew');
    assert.equal(relationshipLabel('foster_carer', false), 'Child in foster care');
    assert.equal(relationshipLabel('sibling', true), relationshipLabel('sibling', false), 'a symmetric relationship reads the same both ways');
  });

  it('has words for both directions of every type, and shows an unknown type as it is', () => {
    for (const type of RELATIONSHIP_TYPE_VALUES) {
      assert.ok(relationshipLabel(type, true).length > 0 && relationshipLabel(type, false).length > 0, type);
    }
    assert.equal(relationshipLabel('godparent', true), 'godparent');
    for (const inherited of ['constructor', 'toString', '__proto__']) {
      assert.equal(relationshipLabel(inherited, true), inherited, 'a name inherited from Object is not a type');
    }
  });
});

describe('time', () => {
  it('counts whole years, turning a year older on the birthday itself', () => {
    assert.equal(ageInYears('2015-06-15', '2025-06-14'), 9);
    assert.equal(ageInYears('2015-06-15', '2025-06-15'), 10);
    assert.equal(ageInYears('2015-06-15', '2025-06-16'), 10);
    assert.equal(ageInYears('2015-12-31', '2016-01-01'), 0);
    assert.equal(ageInYears('2025-06-15', '2025-06-15'), 0, 'born today');
  });

  it('counts a 29 February birthday from 1 March in other years', () => {
    assert.equal(ageInYears('2012-02-29', '2013-02-28'), 0);
    assert.equal(ageInYears('2012-02-29', '2013-03-01'), 1);
    assert.equal(ageInYears('2012-02-29', '2016-02-28'), 3);
    assert.equal(ageInYears('2012-02-29', '2016-02-29'), 4);
  });

  it('agrees with counting birthdays one by one', () => {
    const day = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [born, today] = a <= b ? [a, b] : [b, a];
        let birthdays = 0;
        for (let year = Number(born.slice(0, 4)) + 1; year <= Number(today.slice(0, 4)); year++) {
          const birthday = `${year}${born.slice(4)}` === `${year}-02-29` && !isLeap(year) ? `${year}-03-01` : `${year}${born.slice(4)}`;
          if (birthday <= today) birthdays++;
        }
        assert.equal(ageInYears(born, today), birthdays);
      }),
    );
  });

  it('gives the date in Sydney, which is ahead of UTC, across midnight and daylight saving', () => {
    // June: AEST, UTC+10.
    assert.equal(isoDateIn('Australia/Sydney', new Date('2024-06-30T13:59:59Z')), '2024-06-30');
    assert.equal(isoDateIn('Australia/Sydney', new Date('2024-06-30T14:00:00Z')), '2024-07-01');
    // January: AEDT, UTC+11.
    assert.equal(isoDateIn('Australia/Sydney', new Date('2023-12-31T12:59:59Z')), '2023-12-31');
    assert.equal(isoDateIn('Australia/Sydney', new Date('2023-12-31T13:00:00Z')), '2024-01-01');
    // The same instant is still the day before in London and UTC.
    assert.equal(isoDateIn('Europe/London', new Date('2023-12-31T13:00:00Z')), '2023-12-31');
    assert.equal(isoDateIn('UTC', new Date('2024-02-29T23:59:59Z')), '2024-02-29');
  });

  it('writes dates and times as GOV.UK does', () => {
    assert.equal(longDate('2014-03-07'), '7 March 2014');
    assert.equal(longDate('2014-03-07T10:00:00Z'), '7 March 2014');
    assert.equal(longDate(null), '');
    assert.equal(longDate('not a date'), '');
    assert.equal(longDateTime(new Date('2014-03-07T04:04:00Z'), 'Australia/Sydney'), '7 March 2014 at 3:04pm');
    assert.equal(longDateTime(new Date('2014-03-06T13:30:00Z'), 'Australia/Sydney'), '7 March 2014 at 12:30am', 'half past midnight');
    assert.equal(longDateTime(new Date('2014-03-07T01:05:00Z'), 'Australia/Sydney'), '7 March 2014 at 12:05pm', 'just after noon');
    assert.equal(longDateTime(new Date('2014-03-07T12:59:00Z'), 'Australia/Sydney'), '7 March 2014 at 11:59pm');
  });
});

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
