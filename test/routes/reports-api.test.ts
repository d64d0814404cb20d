import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { asSystem } from '../../src/db/tenancy.ts';
import { createApiToken } from '../../src/platform/auth/api-tokens.ts';
import { startTestApp, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { schemaValidator } from '../support/openapi.ts';
import { createOrganisation, createStaff, type TestStaff } from '../support/factories.ts';
import { agencyReport } from '../support/reports.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Json = Record<string, unknown>;

/** A value in the wrong place: wrong types, characters Hearth cannot store, markup, huge text, near-valid values. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom<unknown>(
    null, true, 0, -1, 1.5, 1e308, '', ' ', '\u0000', 'a\u0000b', '\uD800', '\u0007\r\n', '<script>window.hostile=1</script>',
    "'; drop table reports; --", 'x'.repeat(10_000), '2019-02-30', '2017-03-14', 'basic-needs', ['basic-needs'], ['basic-needs', 'basic-needs'], [], {}, [{}],
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

/** The report with its first child changed. */
function withChild(changes: Json): Json {
  const report = agencyReport();
  const [first, ...rest] = report.children as Json[];
  return { ...report, children: [{ ...first, ...changes }, ...rest] };
}

for (const engine of testEngines()) {
  describe(`reports API [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    let agency: TestStaff;
    let token: string;
    let otherAgencyToken: string;
    let caseworkerToken: string;
    let auditorToken: string;
    let helplineToken: string;
    let documented: (name: 'ReportReceived' | 'ReportRepeated' | 'Error') => ValidateFunction;

    before(async () => {
      harness = await startTestApp(engine);
      organisationId = await createOrganisation(harness.database);
      agency = await createStaff(harness.database, organisationId, 'partner_agency', { displayName: 'Example Police system' });
      token = await createApiToken(harness.database.db, agency.id, 'police CAD');
      const otherAgency = await createStaff(harness.database, organisationId, 'partner_agency', { displayName: 'Example Health system' });
      otherAgencyToken = await createApiToken(harness.database.db, otherAgency.id, 'health');
      caseworkerToken = await createApiToken(harness.database.db, (await createStaff(harness.database, organisationId, 'caseworker')).id, 'case system');
      auditorToken = await createApiToken(harness.database.db, (await createStaff(harness.database, organisationId, 'auditor')).id, 'audit tool');
      helplineToken = await createApiToken(harness.database.db, (await createStaff(harness.database, organisationId, 'helpline_worker')).id, 'helpline');
      const validator = schemaValidator(await openApiDocument());
      documented = (name) => validator(`#/components/schemas/${name}`);
    });
    after(() => harness.close());

    async function openApiDocument(): Promise<Json> {
      const response = await harness.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      assert.equal(response.statusCode, 200);
      return response.json<Json>();
    }

    function send(body: unknown, options: { key?: string; token?: string | null; raw?: string } = {}) {
      const bearer = options.token === undefined ? token : options.token;
      return harness.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: {
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(options.key !== undefined ? { 'idempotency-key': options.key } : {}),
          'content-type': 'application/json',
        },
        payload: options.raw ?? JSON.stringify(body),
      });
    }

    const countReports = async () =>
      asSystem(harness.database.db, async (trx) => ({
        reports: Number((await trx.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        children: Number((await trx.selectFrom('report_children').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        keys: Number((await trx.selectFrom('idempotency_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
      }));

    function assertDocumented(schema: Parameters<typeof documented>[0], response: LightMyRequestResponse) {
      const validate = documented(schema);
      assert.ok(validate(response.json()), `the body matches the document: ${JSON.stringify(validate.errors)}\n${response.body}`);
    }

    describe('receiving a report', () => {
      it('stores a valid report with its children: 201, a reference and a private status link', async () => {
        const before = await countReports();
        const response = await send(agencyReport());
        assert.equal(response.statusCode, 201, response.body);
        assertDocumented('ReportReceived', response);
        const body = response.json<{ id: string; reference: string; status: string; statusUrl: string; repeated: boolean }>();
        assert.match(body.id, UUID);
        assert.equal(body.status, 'awaiting_screening');
        assert.equal(body.repeated, false);
        assert.match(body.statusUrl, /^http:\/\/[^/]+\/report\/status\/[A-Za-z0-9_-]{43}$/);

        const stored = await asSystem(harness.database.db, async (trx) => ({
          report: await trx.selectFrom('reports').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow(),
          children: await trx.selectFrom('report_children').selectAll().where('report_id', '=', body.id).orderBy('position').execute(),
          audit: await trx.selectFrom('audit_events').select(['action', 'actor_user_id', 'details']).where('record_id', '=', body.id).execute(),
        }));
        assert.deepEqual(
          [stored.report.organisation_id, stored.report.reference, stored.report.channel, stored.report.status, stored.report.source_agency, stored.report.recorded_by],
          [organisationId, body.reference, 'agency', 'awaiting_screening', 'Example Police system', null],
        );
        assert.deepEqual(
          [stored.report.safe_now, stored.report.reporter_name, stored.report.reporter_email, stored.report.people_of_concern],
          ['not_known', 'Sam Example', 'sam.example@police.example', null],
        );
        assert.deepEqual(
          stored.children.map((c) => [c.position, c.given_names, c.family_name, c.date_of_birth, c.age_years, c.postcode, c.concerns]),
          [
            [1, 'Mia', 'Tomlinson', '2017-03-14', null, '2150', ['basic-needs', 'education']],
            [2, 'Leo', 'Tomlinson', null, 4, '2150', ['basic-needs']],
          ],
        );
        assert.deepEqual(stored.audit, [{ action: 'report.received', actor_user_id: agency.id, details: { channel: 'agency', children: 2, suspectedAutomated: false } }]);
        assert.deepEqual(await countReports(), { ...before, reports: before.reports + 1, children: before.children + 2 }, 'no key sent, none stored');

        const status = await harness.app.inject({ method: 'GET', url: new URL(body.statusUrl).pathname });
        assert.equal(status.statusCode, 200, 'the status link leads to the report\'s status page');
        assert.ok(status.body.includes(body.reference));
      });

      it('records the agency named in the body, trimmed', async () => {
        const response = await send(agencyReport({ sourceAgency: '  Example Health District  ' }));
        assert.equal(response.statusCode, 201, response.body);
        const row = await asSystem(harness.database.db, (trx) =>
          trx.selectFrom('reports').select('source_agency').where('id', '=', response.json<{ id: string }>().id).executeTakeFirstOrThrow(),
        );
        assert.equal(row.source_agency, 'Example Health District');
      });

      it('without an Idempotency-Key, stores every request as a new report', async () => {
        const before = await countReports();
        const [first, second] = [await send(agencyReport()), await send(agencyReport())];
        assert.deepEqual([first.statusCode, second.statusCode], [201, 201]);
        assert.notEqual(first.json<Json>().reference, second.json<Json>().reference);
        assert.equal((await countReports()).reports, before.reports + 2);
      });

      it('lets a helpline worker\'s token send a report too', async () => {
        assert.equal((await send(agencyReport(), { token: helplineToken })).statusCode, 201);
      });
    });

    describe('the Idempotency-Key', () => {
      it('answers a retry with the same report: 201 then 200, the same id and reference, one row', async () => {
        const key = randomUUID();
        const before = await countReports();
        const first = await send(agencyReport(), { key });
        assert.equal(first.statusCode, 201, first.body);
        const again = await send(agencyReport(), { key });
        assert.equal(again.statusCode, 200, again.body);
        assertDocumented('ReportRepeated', again);
        const [a, b] = [first.json<Json>(), again.json<Json>()];
        assert.deepEqual([b.id, b.reference, b.repeated], [a.id, a.reference, true]);
        assert.equal(b.statusUrl, undefined, 'the status link is given once: only its hash is kept');
        assert.deepEqual(await countReports(), { reports: before.reports + 1, children: before.children + 2, keys: before.keys + 1 });
      });

      it('treats a body that differs only in spacing and key order as the same body', async () => {
        const key = randomUUID();
        const first = await send(agencyReport(), { key });
        const reordered = Object.fromEntries(Object.entries(agencyReport({ whenHappened: '  Last night,   about 11pm ' })).reverse());
        const again = await send(reordered, { key });
        assert.deepEqual([first.statusCode, again.statusCode], [201, 200]);
        assert.equal(again.json<Json>().reference, first.json<Json>().reference);
      });

      it('stores a report once when the same request arrives several times at once', async () => {
        const key = randomUUID();
        const before = await countReports();
        const responses = await Promise.all([1, 2, 3].map(() => send(agencyReport(), { key })));
        assert.deepEqual(responses.map((r) => r.statusCode).sort(), [200, 200, 201], responses.map((r) => r.body).join('\n'));
        assert.equal(new Set(responses.map((r) => r.json<Json>().reference)).size, 1);
        assert.equal(new Set(responses.map((r) => r.json<Json>().id)).size, 1);
        assert.deepEqual(await countReports(), { reports: before.reports + 1, children: before.children + 2, keys: before.keys + 1 });
      });

      it('refuses the same key with a different body: 422 idempotency_key_reused, nothing stored', async () => {
        const key = randomUUID();
        assert.equal((await send(agencyReport(), { key })).statusCode, 201);
        const before = await countReports();
        const response = await send(agencyReport({ safeNow: 'no' }), { key });
        assert.equal(response.statusCode, 422, response.body);
        assertDocumented('Error', response);
        assert.equal(response.json<Json>().error, 'idempotency_key_reused');
        assert.deepEqual(await countReports(), before);
      });

      it("keeps each account's keys apart: another agency's system using the same key makes its own report", async () => {
        const key = `incident-${randomUUID().slice(0, 8)}`;
        const ours = await send(agencyReport(), { key });
        const theirs = await send(agencyReport(), { key, token: otherAgencyToken });
        assert.deepEqual([ours.statusCode, theirs.statusCode], [201, 201]);
        assert.notEqual(ours.json<Json>().reference, theirs.json<Json>().reference);
      });

      for (const [label, key] of [
        ['an empty key', ''],
        ['a key of 201 characters', 'k'.repeat(201)],
        ['a key with a character outside printable ASCII', 'incident-\u00e9'],
      ] as const) {
        it(`refuses ${label}: 400 naming the header, nothing stored`, async () => {
          const before = await countReports();
          const response = await send(agencyReport(), { key });
          assert.equal(response.statusCode, 400, response.body);
          assertDocumented('Error', response);
          const body = response.json<{ error: string; message: string; fieldErrors: Record<string, string[]> }>();
          assert.equal(body.error, 'validation_failed');
          assert.deepEqual(Object.keys(body.fieldErrors), ['Idempotency-Key']);
          assert.match(body.message, /Idempotency-Key header must be 1 to 200 printable ASCII characters/);
          assert.deepEqual(await countReports(), before);
        });
      }

      it('accepts a key of 200 printable characters', async () => {
        const key = `${randomUUID()} ~!{}`.padEnd(200, 'x');
        assert.deepEqual([(await send(agencyReport(), { key })).statusCode, (await send(agencyReport(), { key })).statusCode], [201, 200]);
      });
    });

    describe('bodies that are refused with 400', () => {
      const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
      const refusals: [string, unknown, string[]][] = [
        ['no children', agencyReport({ children: undefined }), ['children']],
        ['an empty list of children', agencyReport({ children: [] }), ['children']],
        ['an unknown ground code', withChild({ concerns: ['basic-needs', 'witchcraft'] }), ['children.0.concerns.1']],
        ['no concerns for a child', withChild({ concerns: [] }), ['children.0.concerns']],
        ['a date that does not exist', withChild({ dateOfBirth: '2019-02-30' }), ['children.0.dateOfBirth']],
        ['a date in another format', withChild({ dateOfBirth: '14/03/2017' }), ['children.0.dateOfBirth']],
        ['a date of birth in the future', withChild({ dateOfBirth: nextYear }), ['children.0.dateOfBirth']],
        ['a child with no name', withChild({ givenNames: ' ', familyName: null }), ['children.0.givenNames']],
        ['a 10,000-character name', withChild({ givenNames: 'A'.repeat(10_000) }), ['children.0.givenNames']],
        ['an age sent as text', withChild({ ageYears: '4' }), ['children.0.ageYears']],
        ['an unknown field', agencyReport({ priority: 'urgent' }), ['(body)']],
        ['an unknown field in a child', withChild({ nickname: 'Mimi' }), ['children.0']],
        ['an unknown field in the reporter', agencyReport({ reporter: { ...(agencyReport().reporter as Json), badge: '123' } }), ['reporter']],
        ['a reporter who cannot be reached', agencyReport({ reporter: { name: 'Sam Example', role: 'Constable' } }), ['reporter.email']],
        ['a value outside the choices', agencyReport({ safeNow: 'maybe' }), ['safeNow']],
        ['no account of what happened', agencyReport({ whatHappened: '   ' }), ['whatHappened']],
        ['a source agency of 201 characters', agencyReport({ sourceAgency: 'x'.repeat(201) }), ['sourceAgency']],
        ['a JSON array', [agencyReport()], ['(body)']],
        ['a JSON string', 'A report', ['(body)']],
      ];
      for (const [label, body, fields] of refusals) {
        it(`${label}: 400 with fieldErrors, nothing stored`, async () => {
          const before = await countReports();
          const response = await send(body, { key: randomUUID() });
          assert.equal(response.statusCode, 400, response.body);
          assertDocumented('Error', response);
          const result = response.json<{ error: string; fieldErrors: Record<string, string[]> }>();
          assert.equal(result.error, 'validation_failed');
          assert.deepEqual(Object.keys(result.fieldErrors).sort(), [...fields].sort());
          for (const messages of Object.values(result.fieldErrors)) assert.ok(messages.every((m) => m.length > 0));
          assert.deepEqual(await countReports(), before);
        });
      }

      it('answers hostile bodies with 201 or 400, never a 5xx, and stores only what it accepted', async () => {
        const report = agencyReport();
        const [child] = report.children as Json[];
        const reporter = report.reporter as Json;
        let accepted = 0;
        const before = await countReports();
        await fc.assert(
          fc.asyncProperty(
            fc.record({
              top: fc.dictionary(fc.constantFrom(...Object.keys(report), 'sourceAgency', 'id', 'status', 'channel'), hostileValue, { maxKeys: 2 }),
              child: fc.dictionary(fc.constantFrom(...Object.keys(child!), 'personId'), hostileValue, { maxKeys: 2 }),
              reporter: fc.dictionary(fc.constantFrom(...Object.keys(reporter)), hostileValue, { maxKeys: 2 }),
              key: fc.option(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }).filter((k) => k.trim() === k && k !== ''), { nil: undefined }),
            }),
            async ({ top, child: childChanges, reporter: reporterChanges, key }) => {
              const body = { ...report, children: [{ ...child, ...childChanges }], reporter: { ...reporter, ...reporterChanges }, ...top };
              const response = await send(body, key === undefined ? {} : { key: `${randomUUID()}-${key}` });
              assert.ok([201, 400].includes(response.statusCode), `${response.statusCode}: ${response.body}`);
              assert.doesNotMatch(response.body, /<script|\bat .*\.ts:\d+|violates|syntax error/);
              if (response.statusCode === 201) accepted += 1;
              else assert.equal(response.json<Json>().error, 'validation_failed');
            },
          ),
          { numRuns: 80 },
        );
        assert.ok(accepted > 0, 'some mostly-valid bodies got through');
        assert.equal((await countReports()).reports, before.reports + accepted);
        for (const raw of ['{"__proto__":{"polluted":true},"whatHappened":"x"}', '['.repeat(50_000), '{"whatHappened":"\\ud800"}', 'null']) {
          const response = await send(undefined, { raw });
          assert.equal(response.statusCode, 400, `${raw.slice(0, 40)}: ${response.body}`);
        }
        assert.equal((await countReports()).reports, before.reports + accepted);
      });

      it('names the unknown field', async () => {
        const response = await send(agencyReport({ priority: 'urgent' }));
        assert.match(response.json<{ fieldErrors: Record<string, string[]> }>().fieldErrors['(body)']?.join() ?? '', /priority/);
      });

      it('refuses malformed JSON with 400 invalid_json, and a form with 415, nothing stored', async () => {
        const before = await countReports();
        const malformed = await send(undefined, { raw: '{"children": [' });
        assert.equal(malformed.statusCode, 400);
        assert.equal(malformed.json<Json>().error, 'invalid_json');
        const form = await harness.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'whatHappened=Something',
        });
        assert.equal(form.statusCode, 415);
        assert.deepEqual(await countReports(), before);
      });
    });

    describe('who may call', () => {
      it('answers 401 without a token, or with a wrong one', async () => {
        const before = await countReports();
        for (const bearer of [null, `hearth_${'x'.repeat(43)}`]) {
          const response = await send(agencyReport(), { token: bearer, key: randomUUID() });
          assert.equal(response.statusCode, 401);
          assertDocumented('Error', response);
        }
        assert.deepEqual(await countReports(), before);
      });

      it('answers 403 to a role without reports:submit, storing nothing', async () => {
        const before = await countReports();
        for (const bearer of [caseworkerToken, auditorToken]) {
          const response = await send(agencyReport(), { token: bearer, key: randomUUID() });
          assert.equal(response.statusCode, 403);
          assertDocumented('Error', response);
        }
        assert.deepEqual(await countReports(), before);
      });
    });

    describe('the OpenAPI document', () => {
      it('describes the operation, its Idempotency-Key header and its answers, behind the bearer token', async () => {
        const doc = await openApiDocument();
        const op = (doc.paths as Record<string, Record<string, Json>>)['/api/v1/reports']?.post;
        assert.ok(op, 'POST /api/v1/reports is documented');
        assert.equal(op.operationId, 'submitReport');
        assert.equal(op.security, undefined, 'it needs the document-wide bearer token');
        assert.deepEqual(Object.keys(op.responses as Json).sort(), ['200', '201', '400', '401', '403', '415', '422']);
        const header = (op.parameters as Json[]).find((p) => p.name === 'Idempotency-Key');
        assert.deepEqual([header?.in, header?.required], ['header', false]);
        assert.match(String(op.description), /Idempotency-Key/);
      });

      it('describes the bodies these tests send, and refuses the ones the API refuses', async () => {
        const doc = await openApiDocument();
        const validator = schemaValidator(doc);
        const request = validator('#/paths/~1api~1v1~1reports/post/requestBody/content/application~1json/schema');
        const header = validator('#/paths/~1api~1v1~1reports/post/parameters/0/schema');
        for (const example of [agencyReport(), agencyReport({ sourceAgency: 'Example Police' })]) assert.ok(request(example), JSON.stringify(request.errors));
        assert.equal(request(agencyReport({ priority: 'urgent' })), false, 'unknown fields');
        assert.equal(request(withChild({ nickname: 'Mimi' })), false, 'unknown fields in a child');
        assert.equal(request(withChild({ concerns: ['witchcraft'] })), false, 'a ground code not in the pack');
        assert.equal(request(agencyReport({ children: [] })), false, 'no children');
        assert.equal(request(agencyReport({ safeNow: 'maybe' })), false, 'a value outside the choices');
        assert.ok(header(randomUUID()));
        assert.equal(header('k'.repeat(201)), false);
        assert.equal(header('incident-\u00e9'), false);
      });
    });
  });
}
