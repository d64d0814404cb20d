import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { HearthDatabase } from '../../src/db/connect.ts';
import type { AuditEventRow } from '../../src/db/schema.ts';
import { inOrganisation, type Trx } from '../../src/db/tenancy.ts';
import { computeAuditHash, GENESIS_HASH, type AuditEntryContent } from '../../src/platform/audit/audit-chain.ts';
import { recordAudit, type AuditWho } from '../../src/platform/audit/audit-log.ts';
import { verifyAuditTrail } from '../../src/platform/audit/verify-audit-trail.ts';
import { auditEntryFromRow, auditRowValues } from '../../src/platform/audit/audit-rows.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation } from '../support/factories.ts';

for (const engine of testEngines()) {
  describe(`the audit trail in the database [${engine.name}]`, () => {
    let database: HearthDatabase;

    before(async () => {
      database = await engine.createDatabase();
    });
    after(() => database.close());

    const who = (organisationId: string): AuditWho => ({ organisationId, requestId: `test-${randomUUID()}`, userId: null, role: 'caseworker' });

    /** Writes `count` audit rows, one transaction each, as a request would. */
    async function writeChain(organisationId: string, count: number): Promise<void> {
      for (let i = 1; i <= count; i++) {
        await inOrganisation(database.db, organisationId, (trx) =>
          recordAudit(trx, who(organisationId), { action: 'person.viewed', recordType: 'person', recordId: randomUUID(), details: { n: i, fields: ['a', 'b'] } }),
        );
      }
    }

    const rowsOf = (organisationId: string) =>
      database.db.selectFrom('audit_events').selectAll().where('organisation_id', '=', organisationId).orderBy('seq').execute();

    async function reportFor(organisationId: string) {
      const result = await verifyAuditTrail(database.db);
      const report = result.organisations.find((o) => o.organisationId === organisationId);
      assert.ok(report, 'every organisation is reported');
      return { intact: result.intact, report };
    }

    /** Tampering as the database superuser, with the append-only trigger disabled for this transaction only. */
    function tamper(work: (trx: Trx) => Promise<unknown>, how: 'disable-trigger' | 'replica' = 'disable-trigger') {
      return database.db.transaction().execute(async (trx) => {
        if (how === 'replica') await sql`set local session_replication_role = replica`.execute(trx);
        else await sql`alter table audit_events disable trigger audit_events_append_only`.execute(trx);
        await work(trx);
        if (how === 'disable-trigger') await sql`alter table audit_events enable trigger audit_events_append_only`.execute(trx);
      });
    }

    async function insertRaw(trx: Trx, content: AuditEntryContent, hash = computeAuditHash(content)) {
      await trx.insertInto('audit_events').values(auditRowValues(content, hash)).execute();
    }

    const contentOf = (row: AuditEventRow): AuditEntryContent => auditEntryFromRow(row);

    it('appends seq 1, 2, 3, each row naming the hash of the one before, and moves the head', async () => {
      const org = await createOrganisation(database);
      await writeChain(org, 3);
      const rows = await rowsOf(org);
      assert.deepEqual(rows.map((r) => r.seq), [1, 2, 3]);
      assert.equal(rows[0]!.prev_hash, GENESIS_HASH);
      assert.equal(rows[1]!.prev_hash, rows[0]!.hash);
      assert.equal(rows[2]!.prev_hash, rows[1]!.hash);
      for (const row of rows) assert.equal(computeAuditHash(contentOf(row)), row.hash, 'the stored row hashes to its stored hash');
      const head = await database.db.selectFrom('audit_chain_heads').selectAll().where('organisation_id', '=', org).executeTakeFirstOrThrow();
      assert.deepEqual({ seq: head.last_seq, hash: head.last_hash }, { seq: 3, hash: rows[2]!.hash });
      assert.deepEqual(rows[1]!.details, { n: 2, fields: ['a', 'b'] });
    });

    it('writes nothing when the transaction around it rolls back', async () => {
      const org = await createOrganisation(database);
      await writeChain(org, 1);
      await assert.rejects(
        inOrganisation(database.db, org, async (trx) => {
          await recordAudit(trx, who(org), { action: 'person.updated', recordType: 'person' });
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      await writeChain(org, 1);
      assert.deepEqual((await rowsOf(org)).map((r) => [r.seq, r.action]), [[1, 'person.viewed'], [2, 'person.viewed']]);
      assert.equal((await reportFor(org)).report.problem, undefined);
    });

    describe('is append-only', () => {
      let org: string;
      before(async () => {
        org = await createOrganisation(database);
        await writeChain(org, 2);
      });

      const statements = {
        UPDATE: sql`update audit_events set action = 'forged'`,
        DELETE: sql`delete from audit_events`,
        TRUNCATE: sql`truncate audit_events`,
      };

      for (const [operation, statement] of Object.entries(statements)) {
        it(`refuses ${operation} by the database owner`, async () => {
          await assert.rejects(
            database.db.transaction().execute((trx) => statement.execute(trx)),
            new RegExp(`audit_events is append-only: ${operation} is not allowed`),
          );
        });

        it(`refuses ${operation} by the application role`, async () => {
          await assert.rejects(
            inOrganisation(database.db, org, (trx) => statement.execute(trx)),
            /permission denied|append-only/,
          );
        });
      }

      it('still holds every row afterwards', async () => {
        const rows = await rowsOf(org);
        assert.deepEqual(rows.map((r) => [r.seq, r.action]), [[1, 'person.viewed'], [2, 'person.viewed']]);
        assert.equal((await reportFor(org)).report.problem, undefined);
      });
    });

    it('verifies as intact when nobody has tampered with it', async () => {
      const org = await createOrganisation(database);
      await writeChain(org, 4);
      const { report } = await reportFor(org);
      assert.equal(report.problem, undefined);
      assert.equal(report.firstBadRowId, undefined);
      assert.equal(report.rowsChecked, 4);
    });

    it('reports an altered row as the first bad row', async () => {
      const org = await createOrganisation(database);
      await writeChain(org, 5);
      const target = (await rowsOf(org))[2]!;
      await tamper((trx) => trx.updateTable('audit_events').set({ actor_role: 'administrator' }).where('id', '=', target.id).execute());
      const { intact, report } = await reportFor(org);
      assert.equal(intact, false);
      assert.equal(report.firstBadRowId, target.id);
      assert.equal(report.rowsChecked, 2);
      assert.match(report.problem ?? '', new RegExp(`row ${target.id} \\(seq 3\\) was altered`));
    });

    it('reports a change to details, but not to the key order jsonb chooses', async () => {
      const org = await createOrganisation(database);
      await writeChain(org, 3);
      const target = (await rowsOf(org))[1]!;
      // The same content written with its keys the other way round: jsonb stores it identically.
      await tamper((trx) => trx.updateTable('audit_events').set({ details: JSON.stringify({ fields: ['a', 'b'], n: 2 }) }).where('id', '=', target.id).execute(), 'replica');
      assert.equal((await reportFor(org)).report.problem, undefined);
      await tamper((trx) => trx.updateTable('audit_events').set({ details: JSON.stringify({ fields: ['b', 'a'], n: 2 }) }).where('id', '=', target.id).execute(), 'replica');
      assert.equal((await reportFor(org)).report.firstBadRowId, target.id);
    });

    it('reports a removed middle row at the row after it', async () => {
      const org = await createOrganisation(database);
      await writeChain(org, 5);
      const rows = await rowsOf(org);
      await tamper((trx) => trx.deleteFrom('audit_events').where('id', '=', rows[2]!.id).execute(), 'replica');
      const { report } = await reportFor(org);
      assert.equal(report.firstBadRowId, rows[3]!.id);
      assert.match(report.problem ?? '', new RegExp(`row ${rows[3]!.id} \\(seq 4\\) follows a gap`));
    });

    it('reports a removed last row by the head', async () => {
      const org = await createOrganisation(database);
      await writeChain(org, 4);
      const rows = await rowsOf(org);
      await tamper((trx) => trx.deleteFrom('audit_events').where('id', '=', rows[3]!.id).execute());
      const { report } = await reportFor(org);
      assert.equal(report.firstBadRowId, undefined);
      assert.match(report.problem ?? '', /the chain ends at seq 3 but 4 rows were written/);
    });

    it('reports a row inserted out of order: a well-formed row naming an earlier predecessor', async () => {
      const org = await createOrganisation(database);
      await writeChain(org, 4);
      const rows = await rowsOf(org);
      const forged: AuditEntryContent = { ...contentOf(rows[3]!), id: randomUUID(), seq: 5, prevHash: rows[1]!.hash, action: 'person.deleted' };
      // Inserting needs no trigger change: the forger also moves the head, as recordAudit would.
      await database.db.transaction().execute(async (trx) => {
        await insertRaw(trx, forged);
        await trx.updateTable('audit_chain_heads').set({ last_seq: 5, last_hash: computeAuditHash(forged) }).where('organisation_id', '=', org).execute();
      });
      const { report } = await reportFor(org);
      assert.equal(report.firstBadRowId, forged.id);
      assert.match(report.problem ?? '', new RegExp(`row ${forged.id} \\(seq 5\\) does not follow the row before it`));
    });

    it('reports a row inserted before the start of the chain, which even the application role can write', async () => {
      const org = await createOrganisation(database);
      await writeChain(org, 3);
      const rows = await rowsOf(org);
      const forged: AuditEntryContent = { ...contentOf(rows[0]!), id: randomUUID(), seq: 0, prevHash: GENESIS_HASH };
      await inOrganisation(database.db, org, (trx) => insertRaw(trx, forged));
      const { report } = await reportFor(org);
      assert.equal(report.firstBadRowId, forged.id);
      assert.match(report.problem ?? '', new RegExp(`row ${forged.id} \\(seq 0\\) is out of order`));
    });

    it('reports a row appended without moving the head', async () => {
      const org = await createOrganisation(database);
      await writeChain(org, 2);
      const rows = await rowsOf(org);
      const forged: AuditEntryContent = { ...contentOf(rows[1]!), id: randomUUID(), seq: 3, prevHash: rows[1]!.hash };
      await database.db.transaction().execute((trx) => insertRaw(trx, forged));
      const { report } = await reportFor(org);
      assert.match(report.problem ?? '', /the chain ends at seq 3 but its recorded head is seq 2/);
    });

    it('keeps each organisation\'s chain apart: tampering with one leaves the other intact', async () => {
      const orgA = await createOrganisation(database);
      const orgB = await createOrganisation(database);
      await writeChain(orgA, 2);
      await writeChain(orgB, 3);
      assert.deepEqual((await rowsOf(orgA)).map((r) => r.seq), [1, 2]);
      assert.deepEqual((await rowsOf(orgB)).map((r) => r.seq), [1, 2, 3]);
      const first = (await rowsOf(orgA))[0]!;
      await tamper((trx) => trx.updateTable('audit_events').set({ action: 'forged' }).where('id', '=', first.id).execute());
      assert.equal((await reportFor(orgA)).report.firstBadRowId, first.id);
      assert.equal((await reportFor(orgB)).report.problem, undefined);
    });

    if (engine.name === 'postgres') {
      it('does not fork under 40 parallel writers in one organisation', async () => {
        const org = await createOrganisation(database);
        const writers = 40;
        await Promise.all(
          Array.from({ length: writers }, (_, i) =>
            inOrganisation(database.db, org, async (trx) => {
              // Some work before the audit row, as a request does, so the transactions overlap.
              await sql`select pg_sleep(0.01)`.execute(trx);
              await recordAudit(trx, who(org), { action: 'person.viewed', recordType: 'person', details: { writer: i } });
            }),
          ),
        );
        const rows = await rowsOf(org);
        assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: writers }, (_, i) => i + 1), 'seqs 1..N with no gap or duplicate');
        assert.equal(new Set(rows.map((r) => r.prev_hash)).size, writers, 'no two rows name the same predecessor');
        assert.deepEqual(new Set(rows.map((r) => r.details.writer)).size, writers, 'every writer\'s row is there');
        const { report } = await reportFor(org);
        assert.equal(report.problem, undefined);
        assert.equal(report.rowsChecked, writers);
      });

      it('keeps two organisations\' chains independent under parallel writers, including their first rows', async () => {
        const orgA = await createOrganisation(database);
        const orgB = await createOrganisation(database);
        const perOrganisation = 20;
        await Promise.all(
          Array.from({ length: perOrganisation * 2 }, (_, i) => {
            const org = i % 2 === 0 ? orgA : orgB;
            return inOrganisation(database.db, org, (trx) => recordAudit(trx, who(org), { action: 'person.viewed', recordType: 'person' }));
          }),
        );
        const expected = Array.from({ length: perOrganisation }, (_, i) => i + 1);
        assert.deepEqual((await rowsOf(orgA)).map((r) => r.seq), expected);
        assert.deepEqual((await rowsOf(orgB)).map((r) => r.seq), expected);
        for (const org of [orgA, orgB]) {
          const { report } = await reportFor(org);
          assert.equal(report.problem, undefined);
          assert.equal(report.rowsChecked, perOrganisation);
        }
      });
    }
  });
}
