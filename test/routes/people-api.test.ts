import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { LightMyRequestResponse } from 'fastify';
import { createPeopleServices } from '../../src/services.ts';
import type { PeopleService } from '../../src/features/people/service.ts';
import { createApiToken, revokeApiToken } from '../../src/platform/auth/api-tokens.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { startTestApp, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { schemaValidator } from '../support/openapi.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The bodies a client would send, as the documentation's examples: each must match the document. */
const createExample = {
  givenNames: 'Mia',
  familyName: 'Rahman',
  preferredName: null,
  dateOfBirth: '2016-09-12',
  dateOfBirthEstimated: false,
  sex: 'female',
  gender: null,
  indigenousStatus: 'not_yet_asked',
  ethnicity: 'Bangladeshi Australian',
  languages: ['Bengali', 'English'],
  interpreterRequired: 'no',
};
const minimalCreateExample = { familyName: 'Unknown' };
const updateExample = (version: number) => ({ ...createExample, preferredName: 'Mimi', languages: ['Bengali'], version });

type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT';

for (const engine of testEngines()) {
  describe(`people API [${engine.name}]`, () => {
    let harness: TestApp;
    let caseworker: TestStaff;
    let token: string;
    let auditorToken: string;
    let people: PeopleService;
    /** Checks a response body against a named schema of the document (compiled when first used). */
    let documented: (name: 'Person' | 'Conflict' | 'Error') => ValidateFunction;

    before(async () => {
      harness = await startTestApp(engine);
      const organisation = await createOrganisation(harness.database);
      caseworker = await createStaff(harness.database, organisation, 'caseworker');
      token = await createApiToken(harness.database.db, caseworker.id, 'case management system');
      auditorToken = await createApiToken(harness.database.db, (await createStaff(harness.database, organisation, 'auditor')).id, 'audit tool');
      people = createPeopleServices(harness.database.db, systemClock, harness.config.timeZone).people;
      const validator = schemaValidator(await openApiDocument());
      documented = (name) => validator(`#/components/schemas/${name}`);
    });
    after(() => harness.close());

    async function openApiDocument(): Promise<Json> {
      const response = await harness.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      assert.equal(response.statusCode, 200);
      return response.json<Json>();
    }

    function call(method: Method, url: string, options: { body?: unknown; raw?: string; token?: string | null } = {}) {
      const bearer = options.token === undefined ? token : options.token;
      return harness.app.inject({
        method,
        url,
        headers: {
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(options.raw !== undefined ? { payload: options.raw } : options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
      });
    }

    async function createPerson(body: unknown = createExample): Promise<Json> {
      const response = await call('POST', '/api/v1/people', { body });
      assert.equal(response.statusCode, 201, response.body);
      return response.json<Json>();
    }

    const countPeople = async () =>
      (await harness.database.db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

    function assertDocumented(schema: Parameters<typeof documented>[0], response: LightMyRequestResponse) {
      const validate = documented(schema);
      assert.ok(validate(response.json()), `the body matches the document: ${JSON.stringify(validate.errors)}\n${response.body}`);
    }

    describe('create, read and update', () => {
      it('creates a person: 201, a Location, and the person as documented', async () => {
        const response = await call('POST', '/api/v1/people', { body: createExample });
        assert.equal(response.statusCode, 201);
        assertDocumented('Person', response);
        const body = response.json<Json>();
        assert.match(String(body.id), UUID);
        assert.equal(response.headers.location, `/api/v1/people/${String(body.id)}`);
        assert.equal(body.version, 1);
        assert.deepEqual(
          Object.fromEntries(Object.keys(createExample).map((key) => [key, body[key]])),
          createExample,
        );
        assert.deepEqual([body.names, body.addresses, body.identifiers], [[], [], []]);
      });

      it('keeps script typed in a name as text, and never sends a raw "<" in JSON', async () => {
        const name = '<script>alert("x")</script> & Co';
        const response = await call('POST', '/api/v1/people', { body: { ...minimalCreateExample, familyName: name } });
        assert.equal(response.statusCode, 201, response.body);
        assert.ok(!/[<>&]/.test(response.body), response.body);
        assert.ok(response.body.includes('\\u003cscript\\u003e'), response.body);
        assert.equal(response.json<Json>().familyName, name, 'a JSON parser reads back exactly what was typed');
      });

      it('fills in the defaults for a minimal body', async () => {
        const body = await createPerson(minimalCreateExample);
        assert.deepEqual(
          [body.givenNames, body.familyName, body.dateOfBirth, body.sex, body.indigenousStatus, body.languages],
          ['', 'Unknown', null, 'not_recorded', 'not_yet_asked', []],
        );
      });

      it('reads a person at its Location, with their names, addresses and identifiers, and audits the read', async () => {
        const created = await createPerson();
        const id = String(created.id);
        await people.addIdentifier(caseworker.actor, id, { identifierType: 'medicare', value: '2123456701' });
        const response = await call('GET', `/api/v1/people/${id}`);
        assert.equal(response.statusCode, 200);
        assertDocumented('Person', response);
        const body = response.json<Json>();
        assert.equal(body.givenNames, 'Mia');
        assert.deepEqual((body.identifiers as Json[]).map((i) => [i.identifierType, i.value]), [['medicare', '2123456701']]);
        const audit = await harness.database.db
          .selectFrom('audit_events')
          .select(['action', 'actor_user_id', 'details'])
          .where('subject_person_id', '=', id)
          .where('action', '=', 'person.viewed')
          .execute();
        assert.deepEqual(audit, [{ action: 'person.viewed', actor_user_id: caseworker.id, details: { via: 'api' } }]);
      });

      it('replaces the details at the version read: 200 and the next version', async () => {
        const created = await createPerson();
        const response = await call('PUT', `/api/v1/people/${String(created.id)}`, { body: updateExample(1) });
        assert.equal(response.statusCode, 200, response.body);
        assertDocumented('Person', response);
        const body = response.json<Json>();
        assert.deepEqual([body.version, body.preferredName, body.languages], [2, 'Mimi', ['Bengali']]);
        const reread = (await call('GET', `/api/v1/people/${String(created.id)}`)).json<Json>();
        assert.deepEqual([reread.version, reread.preferredName], [2, 'Mimi']);
      });

      it('refuses a stale version with 409 and the current person, saving nothing', async () => {
        const created = await createPerson();
        const id = String(created.id);
        assert.equal((await call('PUT', `/api/v1/people/${id}`, { body: updateExample(1) })).statusCode, 200);
        const response = await call('PUT', `/api/v1/people/${id}`, { body: { ...updateExample(1), familyName: 'Overwritten' } });
        assert.equal(response.statusCode, 409);
        assertDocumented('Conflict', response);
        const body = response.json<{ error: string; current: Json }>();
        assert.equal(body.error, 'conflict');
        assert.deepEqual([body.current.version, body.current.familyName, body.current.preferredName], [2, 'Rahman', 'Mimi']);
        const stored = await people.view(caseworker.actor, id);
        assert.deepEqual([stored?.version, stored?.familyName], [2, 'Rahman']);
      });
    });

    describe('bodies that are refused with 400', () => {
      const refusals: [string, Method, { body?: unknown; raw?: string }, string[]][] = [
        ['wrong types', 'POST', { body: { givenNames: 5, dateOfBirthEstimated: 'yes', languages: 'English', sex: 'f' } }, ['givenNames', 'dateOfBirthEstimated', 'languages', 'sex']],
        ['an unknown field', 'POST', { body: { ...createExample, nickname: 'Mimi' } }, ['(body)']],
        ['a date that does not exist', 'POST', { body: { ...createExample, dateOfBirth: '2015-02-31' } }, ['dateOfBirth']],
        ['a date of birth next year', 'POST', { body: { ...createExample, dateOfBirth: `${new Date().getUTCFullYear() + 1}-12-31` } }, ['dateOfBirth']],
        ['a 10,000-character name', 'POST', { body: { ...createExample, givenNames: 'A'.repeat(10_000) } }, ['givenNames']],
        ['no name at all', 'POST', { body: { ...createExample, givenNames: '', familyName: ' ' } }, ['givenNames']],
        ['a missing version', 'PUT', { body: createExample }, ['version']],
        ['a version that is not a number', 'PUT', { body: { ...createExample, version: true } }, ['version']],
        ['a version sent as text', 'PUT', { body: { ...createExample, version: '1' } }, ['version']],
        ['a JSON array', 'POST', { body: [createExample] }, ['(body)']],
        ['a JSON string', 'POST', { body: 'Mia Rahman' }, ['(body)']],
        ['no body', 'POST', {}, ['(body)']],
      ];
      for (const [label, method, request, fields] of refusals) {
        it(`${label}: 400 with fieldErrors, nothing saved`, async () => {
          const target = method === 'PUT' ? `/api/v1/people/${String((await createPerson()).id)}` : '/api/v1/people';
          const before = await countPeople();
          const response = await call(method, target, request);
          assert.equal(response.statusCode, 400, response.body);
          assertDocumented('Error', response);
          const body = response.json<{ error: string; fieldErrors: Record<string, string[]> }>();
          assert.equal(body.error, 'validation_failed');
          assert.deepEqual(Object.keys(body.fieldErrors).sort(), [...fields].sort());
          for (const messages of Object.values(body.fieldErrors)) assert.ok(messages.every((m) => m.length > 0));
          assert.equal(await countPeople(), before);
          if (method === 'PUT') assert.equal((await call('GET', target)).json<Json>().version, 1);
        });
      }

      it('refuses a body that is not JSON with 415, saving nothing', async () => {
        const before = await countPeople();
        const response = await harness.app.inject({
          method: 'POST',
          url: '/api/v1/people',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'familyName=Form',
        });
        assert.equal(response.statusCode, 415);
        assert.equal(response.json<Json>().error, 'unsupported_media_type');
        assert.equal(await countPeople(), before);
      });

      it('names the unknown field', async () => {
        const response = await call('POST', '/api/v1/people', { body: { ...createExample, nickname: 'Mimi' } });
        assert.match(response.json<{ fieldErrors: Record<string, string[]> }>().fieldErrors['(body)']?.join() ?? '', /nickname/);
      });

      for (const [label, raw] of [
        ['malformed JSON', '{"familyName": "Rahman",'],
        ['an empty JSON body', ''],
      ] as const) {
        it(`${label}: 400 invalid_json, nothing saved`, async () => {
          const before = await countPeople();
          const response = await call('POST', '/api/v1/people', { raw });
          assert.equal(response.statusCode, 400);
          assertDocumented('Error', response);
          assert.equal(response.json<Json>().error, 'invalid_json');
          assert.equal(await countPeople(), before);
        });
      }
    });

    describe('who may call', () => {
      it('answers 401 without a token, with a wrong one, or with a revoked one', async () => {
        const revocable = await createApiToken(harness.database.db, caseworker.id, 'to revoke');
        assert.equal((await call('POST', '/api/v1/people', { body: createExample, token: revocable })).statusCode, 201, 'it works until revoked');
        const row = await harness.database.db.selectFrom('api_tokens').select('id').where('label', '=', 'to revoke').executeTakeFirstOrThrow();
        await revokeApiToken(harness.database.db, row.id);
        const before = await countPeople();
        for (const [label, bearer] of [
          ['no token', null],
          ['a wrong token', `hearth_${'x'.repeat(43)}`],
          ['not a Hearth token', 'abc'],
          ['a revoked token', revocable],
        ] as const) {
          const response = await call('POST', '/api/v1/people', { body: createExample, token: bearer });
          assert.equal(response.statusCode, 401, label);
          assert.equal(response.headers['www-authenticate'], 'Bearer realm="hearth"', label);
          assertDocumented('Error', response);
        }
        const basic = await harness.app.inject({ method: 'GET', url: '/api/v1/people/00000000-0000-4000-8000-000000000000', headers: { authorization: `Basic ${token}` } });
        assert.equal(basic.statusCode, 401, 'only a bearer token counts');
        assert.equal(await countPeople(), before);
      });

      it('answers 403 to a role without people:write, and saves nothing', async () => {
        const before = await countPeople();
        const response = await call('POST', '/api/v1/people', { body: createExample, token: auditorToken });
        assert.equal(response.statusCode, 403);
        assertDocumented('Error', response);
        assert.equal(await countPeople(), before);
        const id = String((await createPerson()).id);
        assert.equal((await call('GET', `/api/v1/people/${id}`, { token: auditorToken })).statusCode, 403, 'nor read without people:read');
      });

      it("answers 404 for another organisation's person, and for an id that is not one", async () => {
        const elsewhere = await createStaff(harness.database, await createOrganisation(harness.database, 'Elsewhere'), 'caseworker');
        const theirs = await people.create(elsewhere.actor, personDetails({ familyName: 'Theirs' }));
        const read = await call('GET', `/api/v1/people/${theirs.id}`);
        assert.equal(read.statusCode, 404);
        assertDocumented('Error', read);
        assert.doesNotMatch(read.body, /Theirs/);
        assert.equal((await call('PUT', `/api/v1/people/${theirs.id}`, { body: updateExample(1) })).statusCode, 404);
        const stored = await people.view(elsewhere.actor, theirs.id);
        assert.deepEqual([stored?.familyName, stored?.version], ['Theirs', 1]);
        for (const id of ['not-a-uuid', '1%20or%201=1', '00000000-0000-4000-8000-000000000000']) {
          assert.equal((await call('GET', `/api/v1/people/${id}`)).statusCode, 404, id);
        }
      });
    });

    describe('the OpenAPI document', () => {
      it('is OpenAPI 3.1 with the people operations, each behind the bearer token', async () => {
        const doc = await openApiDocument();
        assert.equal(doc.openapi, '3.1.0');
        const operations = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, methods]) =>
          Object.entries(methods).map(([method, op]) => ({ path, method, op })),
        );
        assert.deepEqual(
          operations.map(({ path, method, op }) => `${method.toUpperCase()} ${path} ${String(op.operationId)}`).sort(),
          ['GET /api/v1/people/search searchPeople', 'GET /api/v1/people/{id} getPerson', 'POST /api/v1/people createPerson', 'POST /api/v1/reports submitReport', 'PUT /api/v1/people/{id} updatePerson'],
        );
        const schemes = (doc.components as { securitySchemes: Record<string, Json> }).securitySchemes;
        for (const { method, op } of operations) {
          const security = (op.security ?? doc.security) as Record<string, unknown>[];
          assert.ok(security.length > 0, `${method} must not be public`);
          for (const requirement of security) {
            for (const name of Object.keys(requirement)) assert.deepEqual([schemes[name]?.type, schemes[name]?.scheme], ['http', 'bearer']);
          }
        }
      });

      it('resolves every $ref inside the document', async () => {
        const doc = await openApiDocument();
        const refs = collectRefs(doc);
        assert.ok(refs.length >= 5, 'the responses refer to named schemas');
        for (const ref of refs) {
          assert.ok(ref.startsWith('#/'), `${ref} points outside the document`);
          assert.notEqual(resolvePointer(doc, ref), undefined, `${ref} does not resolve`);
        }
      });

      it('describes the bodies these tests send, and refuses the ones the API refuses', async () => {
        const doc = await openApiDocument();
        const validator = schemaValidator(doc);
        const create = validator('#/paths/~1api~1v1~1people/post/requestBody/content/application~1json/schema');
        const update = validator('#/paths/~1api~1v1~1people~1{id}/put/requestBody/content/application~1json/schema');
        for (const example of [createExample, minimalCreateExample]) assert.ok(create(example), JSON.stringify(create.errors));
        assert.ok(update(updateExample(3)), JSON.stringify(update.errors));
        assert.equal(create({ ...createExample, nickname: 'Mimi' }), false, 'unknown fields');
        assert.equal(create({ ...createExample, sex: 'f' }), false, 'a value outside the choices');
        assert.equal(update(createExample), false, 'an update without its version');
        assert.equal(update({ ...createExample, version: '1' }), false, 'a version as text');
      });
    });
  });
}

function collectRefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(collectRefs);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : collectRefs(inner)));
  }
  return [];
}

function resolvePointer(doc: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), doc);
}
