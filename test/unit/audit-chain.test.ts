import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  AuditChainVerifier,
  GENESIS_HASH,
  computeAuditHash,
  describeProblem,
  type AuditEntryContent,
  type ChainProblem,
  type ChainedAuditEntry,
} from '../../src/platform/audit/audit-chain.ts';

const ORGANISATION = randomUUID();

/** A well-formed chain of `length` rows, each naming the hash of the one before. */
function chain(length: number): ChainedAuditEntry[] {
  const rows: ChainedAuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const content: AuditEntryContent = {
      id: randomUUID(),
      organisationId: ORGANISATION,
      seq,
      occurredAt: new Date(Date.UTC(2025, 0, 1, 9, 0, seq)),
      actorUserId: randomUUID(),
      actorRole: 'caseworker',
      action: 'person.viewed',
      recordType: 'person',
      recordId: randomUUID(),
      subjectPersonId: randomUUID(),
      requestId: `request-${seq}`,
      details: { fields: ['familyName', 'dateOfBirth'], count: seq, nested: { b: 1, a: [true, null] } },
      prevHash,
    };
    const row = { ...content, hash: computeAuditHash(content) };
    rows.push(row);
    prevHash = row.hash;
  }
  return rows;
}

const headOf = (rows: readonly ChainedAuditEntry[]) =>
  rows.length ? { lastSeq: rows[rows.length - 1]!.seq, lastHash: rows[rows.length - 1]!.hash } : undefined;

/** Feeds rows in the given order, as verifyAuditTrail does, then checks the head. */
function verify(rows: readonly ChainedAuditEntry[], head = headOf(rows)): ChainProblem | undefined {
  const verifier = new AuditChainVerifier();
  for (const row of rows) if (!verifier.accept(row)) break;
  return verifier.finish(head);
}

function problemAt(problem: ChainProblem | undefined): ChainedAuditEntry {
  assert.ok(problem, 'a problem must be found');
  assert.ok('entry' in problem, `the problem must name a row, got ${problem.kind}`);
  return problem.entry;
}

/** A field changed to a different value of the same type. */
const ALTERATIONS: Record<keyof ChainedAuditEntry, (row: ChainedAuditEntry) => ChainedAuditEntry> = {
  id: (r) => ({ ...r, id: randomUUID() }),
  organisationId: (r) => ({ ...r, organisationId: randomUUID() }),
  seq: (r) => ({ ...r, seq: r.seq + 10 }),
  occurredAt: (r) => ({ ...r, occurredAt: new Date(r.occurredAt.getTime() + 1) }),
  actorUserId: (r) => ({ ...r, actorUserId: null }),
  actorRole: (r) => ({ ...r, actorRole: 'administrator' }),
  action: (r) => ({ ...r, action: 'person.updated' }),
  recordType: (r) => ({ ...r, recordType: 'user' }),
  recordId: (r) => ({ ...r, recordId: randomUUID() }),
  subjectPersonId: (r) => ({ ...r, subjectPersonId: null }),
  requestId: (r) => ({ ...r, requestId: 'forged-request' }),
  details: (r) => ({ ...r, details: { ...r.details, count: 999 } }),
  prevHash: (r) => ({ ...r, prevHash: 'f'.repeat(64) }),
  hash: (r) => ({ ...r, hash: 'e'.repeat(64) }),
};

describe('the audit hash chain', () => {
  it('passes an intact chain and an empty one', () => {
    const rows = chain(6);
    const verifier = new AuditChainVerifier();
    for (const row of rows) assert.equal(verifier.accept(row), true);
    assert.equal(verifier.finish(headOf(rows)), undefined);
    assert.equal(verifier.checked, 6);
    assert.equal(verify([], undefined), undefined);
  });

  it('links each row to the one before, starting from the genesis hash', () => {
    const rows = chain(3);
    assert.equal(rows[0]!.prevHash, GENESIS_HASH);
    assert.equal(rows[1]!.prevHash, rows[0]!.hash);
    assert.equal(rows[2]!.prevHash, rows[1]!.hash);
    assert.match(rows[0]!.hash, /^[0-9a-f]{64}$/);
  });

  for (const [field, alter] of Object.entries(ALTERATIONS)) {
    it(`catches a change to ${field} at the altered row`, () => {
      const rows = chain(5);
      const altered = alter(rows[2]!);
      rows[2] = altered;
      const problem = verify(rows);
      assert.equal(problemAt(problem).id, altered.id);
      const message = describeProblem(problem!);
      assert.match(message, new RegExp(`row ${altered.id} \\(seq ${altered.seq}\\)`));
    });
  }

  it('ignores the order of keys in details, at every depth (jsonb does not keep it)', () => {
    const rows = chain(3);
    const original = rows[1]!;
    const reordered = { nested: { a: [true, null], b: 1 }, count: original.details.count, fields: original.details.fields };
    assert.notEqual(JSON.stringify(reordered), JSON.stringify(original.details), 'the keys really are in another order');
    assert.equal(computeAuditHash({ ...original, details: reordered }), original.hash);
    rows[1] = { ...original, details: reordered };
    assert.equal(verify(rows), undefined);
  });

  it('does notice a change of content in details, however deep, and of array order', () => {
    const base = chain(1)[0]!;
    const variants: Record<string, unknown>[] = [
      { ...base.details, nested: { a: [true, null], b: 2 } },
      { ...base.details, nested: { a: [null, true], b: 1 } },
      { ...base.details, fields: ['dateOfBirth', 'familyName'] },
      { ...base.details, count: String(base.details.count) },
      { ...base.details, extra: null },
      { fields: base.details.fields, nested: base.details.nested },
    ];
    for (const details of variants) {
      assert.notEqual(computeAuditHash({ ...base, details }), base.hash, JSON.stringify(details));
    }
  });

  it('catches an altered row whose hash was recomputed, at the row after it', () => {
    const rows = chain(5);
    const forged = { ...rows[1]!, action: 'person.updated' };
    rows[1] = { ...forged, hash: computeAuditHash(forged) };
    const problem = verify(rows);
    assert.equal(problem?.kind, 'broken-link');
    assert.equal(problemAt(problem).id, rows[2]!.id);
    assert.match(describeProblem(problem), new RegExp(`row ${rows[2]!.id} \\(seq 3\\)`));
  });

  it('catches a removed middle row at the row after it', () => {
    const rows = chain(5);
    const after = rows[3]!;
    rows.splice(2, 1);
    const problem = verify(rows);
    assert.equal(problem?.kind, 'missing-before');
    assert.equal(problemAt(problem).id, after.id);
    const message = describeProblem(problem);
    assert.match(message, new RegExp(`row ${after.id} \\(seq 4\\)`));
    assert.match(message, /rows from seq 3 were removed/);
  });

  it('catches a removed first row at the new first row', () => {
    const rows = chain(3);
    rows.shift();
    assert.equal(problemAt(verify(rows)).id, rows[0]!.id);
  });

  it('catches a removed tail by the head', () => {
    const rows = chain(5);
    const head = headOf(rows);
    rows.splice(3);
    const problem = verify(rows, head);
    assert.deepEqual(problem, { kind: 'head-mismatch', lastSeq: 3, headSeq: 5 });
    assert.match(describeProblem(problem), /rows after seq 3 were removed/);
  });

  it('catches a whole chain removed while its head remains', () => {
    const rows = chain(2);
    assert.deepEqual(verify([], headOf(rows)), { kind: 'head-mismatch', lastSeq: 0, headSeq: 2 });
  });

  it('catches a head that names another hash than the last row', () => {
    const rows = chain(3);
    const problem = verify(rows, { lastSeq: 3, lastHash: rows[1]!.hash });
    assert.equal(problem?.kind, 'head-mismatch');
  });

  it('catches a row appended outside the audit log (the head was not moved)', () => {
    const rows = chain(3);
    const head = headOf(rows);
    const extra: AuditEntryContent = { ...rows[2]!, id: randomUUID(), seq: 4, prevHash: rows[2]!.hash };
    rows.push({ ...extra, hash: computeAuditHash(extra) });
    const problem = verify(rows, head);
    assert.deepEqual(problem, { kind: 'head-mismatch', lastSeq: 4, headSeq: 3 });
    assert.match(describeProblem(problem), /rows were inserted outside the audit log/);
  });

  it('catches a row inserted out of order: a well-formed row that names an earlier predecessor', () => {
    const rows = chain(4);
    const forgedContent: AuditEntryContent = { ...rows[3]!, id: randomUUID(), seq: 5, prevHash: rows[1]!.hash };
    const forged = { ...forgedContent, hash: computeAuditHash(forgedContent) };
    rows.push(forged);
    const problem = verify(rows, { lastSeq: 5, lastHash: forged.hash });
    assert.equal(problem?.kind, 'broken-link');
    assert.equal(problemAt(problem).id, forged.id);
    assert.match(describeProblem(problem), new RegExp(`row ${forged.id} \\(seq 5\\) does not follow the row before it`));
  });

  it('catches a row with a seq before the start of the chain', () => {
    const rows = chain(3);
    const forgedContent: AuditEntryContent = { ...rows[0]!, id: randomUUID(), seq: 0 };
    const forged = { ...forgedContent, hash: computeAuditHash(forgedContent) };
    const problem = verify([forged, ...rows]);
    assert.equal(problemAt(problem).id, forged.id);
    assert.match(describeProblem(problem!), new RegExp(`row ${forged.id} \\(seq 0\\) is out of order: expected seq 1`));
  });

  it('catches two rows swapped, at the first of them', () => {
    const rows = chain(4);
    [rows[1], rows[2]] = [rows[2]!, rows[1]!];
    assert.equal(problemAt(verify(rows)).id, rows[1].id);
  });

  it('stops at the first bad row and reports it, not a later one', () => {
    const rows = chain(6);
    rows[1] = { ...rows[1]!, action: 'changed' };
    rows[4] = { ...rows[4]!, action: 'changed too' };
    const verifier = new AuditChainVerifier();
    const accepted = rows.map((row) => verifier.accept(row));
    assert.deepEqual(accepted, [true, false, false, false, false, false]);
    assert.equal(verifier.checked, 1);
    assert.equal(problemAt(verifier.finish(headOf(rows))).id, rows[1].id);
  });
});
