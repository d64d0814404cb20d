import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { officeFor } from '../../src/features/front-door/routing.ts';
import { parsePracticePack, practicePack, type Office } from '../../src/practice/pack.ts';

const offices = practicePack('nsw').offices;
const officeCode = (address: { postcode?: string; suburb?: string }) => {
  const decision = officeFor(offices, address);
  return decision.routed ? `${decision.office.code} by ${decision.by}` : decision.reason;
};

describe('routing a report to the office that covers the child', () => {
  it('goes by postcode, at either end of a range', () => {
    assert.equal(officeCode({ postcode: '2150' }), 'parramatta by postcode');
    assert.equal(officeCode({ postcode: '2145' }), 'parramatta by postcode');
    assert.equal(officeCode({ postcode: '2148' }), 'blacktown by postcode');
    assert.equal(officeCode({ postcode: ' 2770 ', suburb: 'Parramatta' }), 'blacktown by postcode', 'the postcode wins over the suburb');
  });

  it('goes by suburb when there is no postcode, however it is spelt', () => {
    assert.equal(officeCode({ suburb: 'MOUNT  DRUITT' }), 'blacktown by suburb');
    assert.equal(officeCode({ suburb: 'st marys', postcode: '' }), 'blacktown by suburb');
    assert.equal(officeCode({ suburb: "St. Mary's" }), 'blacktown by suburb');
  });

  it('sends what no office covers to the unrouted queue, saying why', () => {
    assert.equal(officeCode({ postcode: '2640' }), 'not covered');
    assert.equal(officeCode({ postcode: 'ABCD' }), 'not covered');
    assert.equal(officeCode({ suburb: 'Albury' }), 'not covered');
    assert.equal(officeCode({}), 'no address');
    const twice: Office[] = [
      { code: 'a', name: 'A', postcodes: [], suburbs: ['Richmond'] },
      { code: 'b', name: 'B', postcodes: [], suburbs: ['Richmond'] },
    ];
    assert.deepEqual(officeFor(twice, { suburb: 'Richmond' }), { routed: false, reason: 'suburb in more than one office' });
  });

  it('refuses a pack in which two offices cover the same postcode', () => {
    const data = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../src/practice/nsw/pack.json'), 'utf8')) as { offices: { postcodes: { from: string; to: string }[] }[] };
    data.offices[1]!.postcodes.push({ from: '2019', to: '2021' });
    assert.throws(() => parsePracticePack(data, 'overlap.json'), /offices\.1\.postcodes\.2: postcodes 2019 to 2021 overlap sydney-metro's 2000 to 2020/);
  });
});
