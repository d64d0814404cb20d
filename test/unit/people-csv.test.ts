import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { generatePeople } from '../../src/features/person-index/generate/generate-people.ts';
import { writeCsvFile } from '../../src/features/person-index/import/csv-file.ts';
import { PEOPLE_CSV_COLUMNS, PEOPLE_CSV_HEADER, toCsvLine, type PersonCsvRow } from '../../src/features/person-index/import/people-csv-format.ts';
import { MAX_LINE_BYTES } from '../../src/features/person-index/import/read-lines.ts';
import {
  keepLastPerExternalId,
  PeopleCsvHeaderError,
  readPeopleCsv,
  type PeopleCsvItem,
  type PersonImportRow,
} from '../../src/features/person-index/import/read-people-csv.ts';
import { openRejectionsFile, writeRejections } from '../../src/features/person-index/import/write-rejections.ts';

const TODAY = '2026-06-15';
const GOOD = 'P1,Kate,Smith,2015-03-04,female,2123 45670 1,12 High Street,Orange,2800,NSW';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const bytesOf = (content: string | Uint8Array) => (typeof content === 'string' ? Buffer.from(content, 'utf8') : content);

async function readAll(content: string | Uint8Array, chunkSize = 64 * 1024): Promise<PeopleCsvItem[]> {
  const items: PeopleCsvItem[] = [];
  for await (const item of readPeopleCsv(chunks(bytesOf(content), chunkSize), { today: TODAY })) items.push(item);
  return items;
}

const file = (...lines: string[]) => `${PEOPLE_CSV_HEADER}\n${lines.join('\n')}\n`;
const rejections = (items: readonly PeopleCsvItem[]) => items.flatMap((i) => (i.kind === 'rejected' ? [{ line: i.line, reason: i.reason }] : []));
const rows = (items: readonly PeopleCsvItem[]) => items.flatMap((i) => (i.kind === 'row' ? [i.row] : []));
const rowLines = (items: readonly PeopleCsvItem[]) => items.flatMap((i) => (i.kind === 'row' ? [i.line] : []));

/** What the reader should make of a row written with toCsvLine. */
const expectedRow = (row: PersonCsvRow): PersonImportRow => ({
  external_id: row.external_id,
  given_name: row.given_name || null,
  family_name: row.family_name || null,
  date_of_birth: row.date_of_birth || null,
  sex: row.sex === 'female' || row.sex === 'male' ? row.sex : null,
  identifier: row.identifier || null,
  street: row.street || null,
  suburb: row.suburb || null,
  postcode: row.postcode || null,
  state: row.state || null,
});

async function rejectsHeader(content: string | Uint8Array, message: RegExp): Promise<void> {
  let yielded = 0;
  await assert.rejects(async () => {
    for await (const _ of readPeopleCsv(chunks(bytesOf(content), 1024), { today: TODAY })) yielded++;
  }, (error: unknown) => error instanceof PeopleCsvHeaderError && message.test(error.message));
  assert.equal(yielded, 0, 'nothing is read before the header is right');
}

describe('readPeopleCsv: good rows', () => {
  it('reads a row, tidying it: trimmed, identifier without spaces, empty fields as null, sex in lower case', async () => {
    const items = await readAll(file(GOOD, ' P2 , Ngaio ,,,Male,,,,,'));
    assert.deepEqual(items, [
      {
        kind: 'row',
        line: 2,
        row: { external_id: 'P1', given_name: 'Kate', family_name: 'Smith', date_of_birth: '2015-03-04', sex: 'female', identifier: '2123456701', street: '12 High Street', suburb: 'Orange', postcode: '2800', state: 'NSW' },
      },
      {
        kind: 'row',
        line: 3,
        row: { external_id: 'P2', given_name: 'Ngaio', family_name: null, date_of_birth: null, sex: 'male', identifier: null, street: null, suburb: null, postcode: null, state: null },
      },
    ]);
  });

  it('round-trips generated people through toCsvLine, whatever the chunk size', async () => {
    const people = [...generatePeople({ count: 300, seed: 4 })];
    const odd: PersonCsvRow = {
      external_id: 'X-1',
      given_name: 'Zoë "Zo"',
      family_name: "O'Neil, Smith",
      date_of_birth: '2000-02-29',
      sex: '',
      identifier: '',
      street: 'Unit 4, 12 Smith St',
      suburb: 'Møller Park',
      postcode: '',
      state: '',
    };
    const text = file(...people.map(toCsvLine), toCsvLine(odd));
    for (const size of [1, 7, 4096, 1 << 20]) {
      const items = await readAll(text, size);
      assert.deepEqual(rejections(items), [], `chunk size ${size}`);
      assert.deepEqual(rows(items), [...people, odd].map(expectedRow), `chunk size ${size}`);
    }
  });

  it('reads a file from a path, reporting progress in bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hearth-csv-'));
    try {
      const path = join(dir, 'people.csv');
      const count = await writeCsvFile(path, PEOPLE_CSV_HEADER, (function* () {
        for (const person of generatePeople({ count: 2_000, seed: 8 })) yield toCsvLine(person);
      })());
      assert.equal(count, 2_000);
      let progress = 0;
      const items: PeopleCsvItem[] = [];
      for await (const item of readPeopleCsv(path, { today: TODAY, onProgress: (bytes) => (progress = bytes) })) items.push(item);
      assert.equal(rows(items).length, 2_000);
      assert.equal(progress, (await readFile(path)).length);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('accepts a UTF-8 BOM (even split across chunks), CRLF line endings, blank lines and no final line break', async () => {
    const text = `\ufeff${PEOPLE_CSV_HEADER}\r\n${GOOD}\r\n\r\n${GOOD.replace('P1', 'P2')}`;
    for (const size of [1, 2, 1024]) {
      const items = await readAll(text, size);
      assert.deepEqual(rejections(items), []);
      assert.deepEqual(rowLines(items), [2, 4], 'blank lines are skipped, and still counted');
    }
  });

  it('reads a quoted field that holds a line break as one record, numbered from its first line', async () => {
    const items = await readAll(file('P1,Kate,Smith,,,,"Flat 2\nRose Cottage",Orange,2800,NSW', GOOD.replace('P1', 'P2')));
    assert.deepEqual(rejections(items), []);
    assert.deepEqual(rowLines(items), [2, 4]);
    assert.equal(rows(items)[0]?.street, 'Flat 2 Rose Cottage');
  });

  it('takes a stray quote inside an unquoted field as text, and reads escaped quotes', async () => {
    const items = await readAll(file('P1,Sean,O"Brien,,,,,,,', 'P2,"Robert ""Bob""",Smith,,,,,,,'));
    assert.deepEqual(rejections(items), []);
    assert.equal(rows(items)[0]?.family_name, 'O"Brien');
    assert.equal(rows(items)[1]?.given_name, 'Robert "Bob"');
  });

  it('puts text in NFC, so a name typed with a combining accent is stored like one typed with é', async () => {
    const items = await readAll(file('P1,Zoe\u0301,Le\u0301vesque,,,,,,,'));
    assert.equal(rows(items)[0]?.given_name, 'Zo\u00e9');
    assert.equal(rows(items)[0]?.family_name, 'L\u00e9vesque');
  });

  it('yields both rows of a repeated external_id: the later wins when imported', async () => {
    const items = await readAll(file(GOOD, GOOD.replace('Kate', 'Katie')));
    assert.deepEqual(rows(items).map((r) => r.given_name), ['Kate', 'Katie']);
    const batch = keepLastPerExternalId([{ external_id: 'a', n: 1 }, { external_id: 'b', n: 2 }, { external_id: 'a', n: 3 }]);
    assert.deepEqual(batch, [{ external_id: 'b', n: 2 }, { external_id: 'a', n: 3 }]);
  });

  it('splits a line without quotes exactly as csv-parse does', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\'', 'é', ';', '\t', '\r'), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 12 }), (fields) => {
        const line = fields.join(',');
        fc.pre(!line.endsWith('\r') && !/^\s*$/.test(line));
        assert.deepEqual(parse(line, { relax_quotes: true, relax_column_count: true, record_delimiter: '\n' })[0], line.split(','));
      }),
    );
  });
});

describe('readPeopleCsv: rejected rows, each with its line and a plain reason', () => {
  const cases: [string, string][] = [
    ['P1,Kate,Smith,2011-02-30,,,,,,', "date_of_birth '2011-02-30' is not a real date"],
    ['P1,Kate,Smith,2011-13-01,,,,,,', "date_of_birth '2011-13-01' is not a real date"],
    ['P1,Kate,Smith,03/04/2011,,,,,,', "date_of_birth '03/04/2011' is not a date in the form YYYY-MM-DD"],
    ['P1,Kate,Smith,1066-01-01,,,,,,', 'date_of_birth 1066-01-01 is before 1900'],
    ['P1,Kate,Smith,2026-06-16,,,,,,', 'date_of_birth is in the future'],
    ['P1,Kate,Smith,,,,,,,,,', 'expected 10 columns, found 12'],
    ['P1,Kate,Smith', 'expected 10 columns, found 3'],
    [`P1,${'x'.repeat(10_000)},Smith,,,,,,,`, 'given_name is 10,000 characters: at most 100'],
    ['P1,Kate,Sm\u0007ith,,,,,,,', 'control characters in family_name'],
    ['P1,Kate,Sm\tith,,,,,,,', 'control characters in family_name'],
    ['P1,Kate,\u202eSmith,,,,,,,', 'control characters in family_name'],
    [',Kate,Smith,,,,,,,', 'external_id is empty'],
    ['P1,Kate,Smith,,unknown,,,,,', 'sex must be female, male or empty'],
    ['P1,Kate,Smith,,F,,,,,', 'sex must be female, male or empty'],
    ['P1,"Kate"x,Smith,,,,,,,', 'a quoted field has more text after its closing quote'],
    ['P1,"Kate" ,Smith,,,,,,,', 'a quoted field has more text after its closing quote'],
    ['P1,O"Brien,"Kate"x,,,,,,,', 'a quoted field has more text after its closing quote'],
    [',Kate,Smith,2011-02-30,X,,,,,', "external_id is empty; date_of_birth '2011-02-30' is not a real date; sex must be female, male or empty"],
  ];
  for (const [line, reason] of cases) {
    it(reason, async () => {
      const items = await readAll(file(GOOD, line, GOOD.replace('P1', 'P3')));
      assert.deepEqual(rejections(items), [{ line: 3, reason }]);
      assert.deepEqual(rowLines(items), [2, 4], 'the rows around it are read');
      const rejected = items.find((i) => i.kind === 'rejected');
      assert.equal(rejected?.kind === 'rejected' && rejected.raw, line.slice(0, 500), 'raw is the line, cut at 500 characters');
    });
  }

  it('rejects a line that is not valid UTF-8, and goes on', async () => {
    const bytes = Buffer.concat([Buffer.from(file(GOOD)), Buffer.from('P2,Ren'), Buffer.from([0xe9, 0xff]), Buffer.from('e,Smith,,,,,,,\n'), Buffer.from(`${GOOD.replace('P1', 'P3')}\n`)]);
    for (const size of [1, 5, 1024]) {
      const items = await readAll(bytes, size);
      assert.deepEqual(rejections(items), [{ line: 3, reason: 'not valid UTF-8' }], `chunk size ${size}`);
      assert.deepEqual(rowLines(items), [2, 4]);
      const rejected = items.find((i) => i.kind === 'rejected');
      assert.equal(rejected?.kind === 'rejected' && rejected.raw, 'P2,Ren\ufffd\ufffde,Smith,,,,,,,');
    }
  });

  it('rejects only the line of an unterminated quote, and reads every line after it', async () => {
    const after = Array.from({ length: 15 }, (_, i) => GOOD.replace('P1', `Q${i}`));
    const items = await readAll(file(GOOD, 'P2,"Kate,Smith,,,,,,,', ...after));
    assert.deepEqual(rejections(items), [{ line: 3, reason: 'unterminated quote' }]);
    assert.equal(rows(items).length, 16);
    assert.deepEqual(rowLines(items), [2, ...after.map((_, i) => i + 4)]);
  });

  it('rejects an unterminated quote on the last line', async () => {
    const items = await readAll(`${PEOPLE_CSV_HEADER}\n${GOOD}\nP2,"Kate,Smith,,,,,,,`);
    assert.deepEqual(rejections(items), [{ line: 3, reason: 'unterminated quote' }]);
  });

  it('does not pair two stray quotes a few lines apart into one record', async () => {
    const items = await readAll(file('P1,"Kate,Smith,,,,,,,', GOOD.replace('P1', 'P2'), 'P3,Kate,"Smith,,,,,,,', GOOD.replace('P1', 'P4')));
    assert.deepEqual(rejections(items), [
      { line: 2, reason: 'unterminated quote' },
      { line: 4, reason: 'unterminated quote' },
    ]);
    assert.deepEqual(rowLines(items), [3, 5]);
  });

  it('rejects a line longer than the limit without holding it, and goes on', async () => {
    const items = await readAll(file(GOOD, `P2,${'y'.repeat(MAX_LINE_BYTES + 10)}`, GOOD.replace('P1', 'P3')), 256 * 1024);
    assert.deepEqual(rejections(items), [{ line: 3, reason: `line is longer than ${MAX_LINE_BYTES.toLocaleString('en-GB')} bytes` }]);
    assert.deepEqual(rowLines(items), [2, 4]);
  });

  it('reads a file with every field quoted, bad and multi-line records among them, as it reads them one by one', async () => {
    const people = [...generatePeople({ count: 60, seed: 6 })];
    const quoteAll = (row: PersonCsvRow) => PEOPLE_CSV_COLUMNS.map((c) => `"${row[c].replaceAll('"', '""')}"`).join(',');
    const lines = people.map(quoteAll);
    lines.splice(20, 0, '"B1","Kate,Smith,,,,,,,,');
    lines.splice(30, 0, '"B2","Kate","Smith","","","","Flat 2', 'Rose Cottage","Orange","2800","NSW"');
    lines.splice(40, 0, '"B3",O"Brien,"Smith","","","","","","",""', '"B4","Kate"x,"","","","","","","",""');
    const items = await readAll(file(...lines), 1000);
    assert.deepEqual(rejections(items), [
      { line: 22, reason: 'unterminated quote' },
      { line: 43, reason: 'a quoted field has more text after its closing quote' },
    ]);
    const read = rows(items);
    assert.deepEqual(read.filter((r) => !r.external_id.startsWith('B')), people.map(expectedRow));
    assert.deepEqual(read.filter((r) => r.external_id.startsWith('B')).map((r) => [r.external_id, r.given_name, r.family_name, r.street]), [
      ['B2', 'Kate', 'Smith', 'Flat 2 Rose Cottage'],
      ['B3', 'O"Brien', 'Smith', null],
    ]);
    assert.equal(items.find((i) => i.kind === 'row' && i.row.external_id === 'B2')?.line, 32);
  });

  it('imports every good row of a file that mixes good and bad rows', async () => {
    const people = [...generatePeople({ count: 200, seed: 2 })];
    const bad = ['P,x', 'B1,Kate,Smith,2011-02-30,,,,,,', ',,,,,,,,,', 'B2,"Kate,Smith,,,,,,,', 'B3,Kate,Smith,,other,,,,,'];
    const lines: string[] = [];
    const badLines: number[] = [];
    people.forEach((person, i) => {
      lines.push(toCsvLine(person));
      if (i % 40 === 7) {
        lines.push(bad[badLines.length] ?? '');
        badLines.push(lines.length + 1);
      }
    });
    const items = await readAll(file(...lines), 333);
    assert.deepEqual(rows(items), people.map(expectedRow));
    assert.deepEqual(rejections(items).map((r) => r.line), badLines);
  });
});

describe('readPeopleCsv: the header', () => {
  const header = (columns: string) => `${columns}\n${GOOD}\n`;
  it('names a missing column', () => rejectsHeader(header(PEOPLE_CSV_HEADER.replace(',sex', '')), /column 'sex' is missing/));
  it('names an extra column', () => rejectsHeader(header(`${PEOPLE_CSV_HEADER},nhs_number`), /column 'nhs_number' is not expected/));
  it('names a misspelt column and the one it stands for', () => rejectsHeader(header(PEOPLE_CSV_HEADER.replace('given_name', 'given_nme')), /column 2 is 'given_nme': expected 'given_name'/));
  it('says when the columns are in another order', () => rejectsHeader(header(PEOPLE_CSV_HEADER.replace('given_name,family_name', 'family_name,given_name')), /in another order/));
  it('names a column given twice', () => rejectsHeader(header(`${PEOPLE_CSV_HEADER},sex`), /column 'sex' appears twice/));
  it('refuses an empty file', () => rejectsHeader('', /The file is empty/));
  it('refuses a file whose first line is blank', () => rejectsHeader(`\n${PEOPLE_CSV_HEADER}\n${GOOD}\n`, /first line is empty/));
  it('refuses a UTF-16 file, saying how to save it', () => rejectsHeader(Buffer.from(`\ufeff${PEOPLE_CSV_HEADER}\n`, 'utf16le'), /UTF-16.*CSV UTF-8/));
  it('refuses a header that is not UTF-8', () => rejectsHeader(Buffer.concat([Buffer.from('external_id,given_n'), Buffer.from([0xe4]), Buffer.from('me\n')]), /not valid UTF-8/));
  it('accepts a quoted header with spaces around the names', async () => {
    const items = await readAll(header(PEOPLE_CSV_HEADER.split(',').map((c) => ` "${c}" `).join(',').replaceAll(' "', '"').replaceAll('" ', '"')));
    assert.equal(rows(items).length, 1);
  });
});

describe('writeRejections', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hearth-rejections-'));
  });
  after(async () => {
    await rm(dir, { recursive: true });
  });

  it('writes line,reason,raw with CSV quoting, readable back as it was', async () => {
    const items = await readAll(file(GOOD, 'P2,"Kate,Smith,,,,,,,', ',Kate,"Smith, Jones",2011-02-30,,,,,,', 'P4,x'));
    const rejected = items.flatMap((i) => (i.kind === 'rejected' ? [{ line: i.line, reason: i.reason, raw: i.raw }] : []));
    const path = join(dir, 'rejected.csv');
    assert.equal(await writeRejections(path, rejected), 3);
    const text = await readFile(path, 'utf8');
    assert.ok(text.startsWith('line,reason,raw\n3,unterminated quote,"P2,""Kate,Smith,,,,,,,"\n'));
    const back = parse<Record<string, string>>(text, { columns: true });
    assert.deepEqual(back, rejected.map((r) => ({ line: String(r.line), reason: r.reason, raw: r.raw })));
  });

  it('writes rejections one at a time as an import meets them', async () => {
    const path = join(dir, 'one-by-one.csv');
    const writer = await openRejectionsFile(path);
    await writer.write({ line: 7, reason: 'external_id is empty', raw: ',Kate' });
    await writer.close();
    assert.equal(await readFile(path, 'utf8'), 'line,reason,raw\n7,external_id is empty,",Kate"\n');
  });

  it('fails clearly when the file cannot be written', async () => {
    await writeFile(join(dir, 'a-file'), '');
    await assert.rejects(writeRejections(join(dir, 'a-file', 'rejected.csv'), []), /ENOTDIR/);
  });
});
