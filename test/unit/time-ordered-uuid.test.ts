import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timeOrderedUuid } from '../../src/platform/ids/time-ordered-uuid.ts';

describe('time-ordered UUIDs (version 7)', () => {
  it('are valid version 7, variant 10 UUIDs, each different', () => {
    const ids = Array.from({ length: 1000 }, () => timeOrderedUuid());
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('begin with the time in milliseconds, so later ids sort after earlier ones', () => {
    const at = Date.UTC(2026, 10, 27, 14, 0, 0, 123);
    assert.equal(timeOrderedUuid(at).replace(/-/g, '').slice(0, 12), at.toString(16).padStart(12, '0'));
    const earlier = timeOrderedUuid(at);
    const later = timeOrderedUuid(at + 1);
    assert.ok(earlier < later, `${earlier} < ${later}`);
  });
});
