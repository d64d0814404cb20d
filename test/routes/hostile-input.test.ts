import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse, RouteOptions } from 'fastify';
import { sql } from 'kysely';
import { createPeopleServices } from '../../src/services.ts';
import { roleHasPermission } from '../../src/platform/access/roles.ts';
import { actorAsAuditWho } from '../../src/platform/audit/audit-log.ts';
import { createApiToken } from '../../src/platform/auth/api-tokens.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { gatherReport } from '../../src/features/front-door/report-form.ts';
import { FrontDoorService } from '../../src/features/front-door/service.ts';
import { newToken } from '../../src/features/front-door/tokens.ts';
import { practicePack } from '../../src/practice/pack.ts';
import { agencyReport, reportFields } from '../support/reports.ts';
import { startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';

/**
 * Every POST and PUT route, fed hostile bodies: whatever arrives, the answer is never a 5xx, never shows
 * a stack trace or echoes a script unescaped, and a refused request (4xx) leaves the case records as they were.
 */

const SCRIPT = '<script>window.hostile=1</script>';

/** Replaced, when sent, by the edited record's current version, so that a valid edit can get through. */
const CURRENT_VERSION = '{current version}';

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

/** Text a person, a program or an attacker might send: control characters, lone surrogates, NUL, markup, huge. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: anyCodeUnit, maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x\uDFFFy',
    '\u202Eevil',
    '\u0007\u001B[31m',
    '\r\n\t',
    '\u0085\u2028',
    SCRIPT,
    `"><${SCRIPT.slice(1)}`,
    "'; drop table people; --",
    '{{ 7 * 7 }}',
    '../../../etc/passwd',
    'e\u0301\uFEFF',
    '𝕳𝖊𝖆𝖗𝖙𝖍 👩‍👩‍👧',
    '1e309',
    '-1',
    '0',
    '2147483648',
    '9007199254740993',
    'NaN',
    '0x10',
    '1.5',
    'yes',
    'null',
  ),
  fc.constantFrom('x'.repeat(10_000), 'é'.repeat(10_000), '\u0000'.repeat(10_000)),
  fc.uuid(),
  fc.integer().map(String),
);

/** Any JSON value in the wrong place: wrong types, arrays, nested objects, huge numbers. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 31, Number.MAX_SAFE_INTEGER + 2),
  fc.array(hostileString, { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 3 }),
  fc.constant(Array.from({ length: 2_000 }, () => 'English')),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Percent-encoding that does not decode, or decodes to bytes that are not UTF-8. */
const brokenEncoding = fc.constantFrom('%', '%zz', '%E0%A4%A', '%FF%FE', '%ED%A0%80', '%C0%AF', '%00', '%E2%82', 'a%2', '%%25', '+%+', '%u0041');

/** Field names of every form, so that hostile values reach the code behind them. */
const VALID_FORM: Record<string, string> = {
  givenNames: 'Ada',
  familyName: 'Example',
  'dateOfBirth-day': '3',
  'dateOfBirth-month': '4',
  'dateOfBirth-year': '2017',
  sex: 'female',
  indigenousStatus: 'not_yet_asked',
  interpreterRequired: 'not_known',
  languages: 'English, Auslan',
  version: CURRENT_VERSION,
  nameType: 'alias',
  line1: '1 Example Road',
  suburb: 'Parramatta',
  postcode: '2150',
  'livedFrom-day': '1',
  'livedFrom-month': '2',
  'livedFrom-year': '2020',
  identifierType: 'medicare',
  value: '2123456701',
  relationshipType: 'parent',
  notes: 'Notes',
  email: 'nobody@hostile.example',
  password: 'not-the-password',
  code: '123456',
  displayName: 'Some One',
  role: 'caseworker',
  currentPassword: 'not-the-password',
  newPassword: 'another-long-password',
  confirmPassword: 'another-long-password',
  returnTo: '/',
  decision: 'different',
  reason: 'Different school and carer',
  versionA: '1',
  versionB: '1',
};

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '_choice', 'relateTo', 'endPrevious', 'a[b]', 'x'.repeat(2_000), '', ' '];

/** A form's valid fields with some replaced by hostile values or lists, plus unknown fields. */
function formFields(validExtra: Record<string, string>) {
  const valid = { ...VALID_FORM, ...validExtra };
  const keys = [...Object.keys(valid), ...HOSTILE_KEYS];
  return fc.record({
    keep: fc.oneof(fc.constant(Object.keys(valid)), fc.subarray(Object.keys(valid))),
    hostile: fc.dictionary(fc.constantFrom(...keys), fc.oneof(hostileString, fc.array(hostileString, { minLength: 2, maxLength: 3 })), { maxKeys: 4 }),
    extra: fc.dictionary(fc.string({ maxLength: 12 }), hostileString, { maxKeys: 2 }),
  }).map(({ keep, hostile, extra }) => {
    const fields: [string, string | string[]][] = keep.map((k) => [k, valid[k]!]);
    return [...fields, ...Object.entries(hostile), ...Object.entries(extra)];
  });
}

/** Encodes what a browser could never send: lone surrogates survive as escapes only through broken percent-encoding. */
function encodeField(key: string, value: string): string {
  return `${encodeURIComponent(key.toWellFormed())}=${encodeURIComponent(value.toWellFormed())}`;
}

/** A urlencoded body: hostile fields, sometimes with raw broken escapes and raw bytes that are not UTF-8. */
function urlencodedBody(validExtra: Record<string, string>) {
  return fc
    .tuple(formFields(validExtra), fc.array(fc.tuple(fc.constantFrom(...Object.keys(VALID_FORM)), brokenEncoding), { maxLength: 2 }), fc.option(fc.uint8Array({ minLength: 1, maxLength: 8 })))
    .map(([fields, broken, bytes]) => ({ fields, broken, bytes }));
}

/** An API body: the valid person with some fields hostile, unknown fields, or no object at all. */
/** A body for an API route: a valid one (a person, or a report) with some fields dropped or made hostile. */
function apiBody(url: string, withVersion: boolean) {
  const valid: Record<string, unknown> = url.startsWith('/api/v1/reports')
    ? agencyReport()
    : {
        givenNames: 'Ada',
        familyName: 'Example',
        dateOfBirth: '2017-04-03',
        dateOfBirthEstimated: false,
        sex: 'female',
        indigenousStatus: 'not_yet_asked',
        interpreterRequired: 'not_known',
        languages: ['English'],
        ...(withVersion ? { version: CURRENT_VERSION } : {}),
      };
  const asObject = fc
    .record({
      keep: fc.oneof(fc.constant(Object.keys(valid)), fc.subarray(Object.keys(valid))),
      hostile: fc.dictionary(fc.constantFrom(...Object.keys(valid), 'id', 'organisationId', 'createdAt', 'names', 'constructor'), hostileJson, { maxKeys: 3 }),
    })
    .map(({ keep, hostile }) => ({ ...Object.fromEntries(keep.map((k) => [k, valid[k]])), ...hostile }));
  return fc.oneof({ arbitrary: asObject, weight: 4 }, { arbitrary: hostileJson, weight: 1 });
}

/** Bodies no parser should choke on: malformed JSON, prototype poisoning, deep nesting, wrong content types. */
const RAW_BODIES: { contentType: string | undefined; payload: string | Buffer }[] = [
  { contentType: 'application/json', payload: '{' },
  { contentType: 'application/json', payload: '{"givenNames":' },
  { contentType: 'application/json', payload: "{'givenNames': 'single quotes'}" },
  { contentType: 'application/json', payload: '' },
  { contentType: 'application/json', payload: 'nul' },
  { contentType: 'application/json', payload: '{"givenNames":"\\ud800","familyName":"\\u0000"}' },
  { contentType: 'application/json', payload: '{"__proto__":{"polluted":true},"givenNames":"A"}' },
  { contentType: 'application/json', payload: '{"constructor":{"prototype":{"polluted":true}}}' },
  { contentType: 'application/json', payload: '['.repeat(50_000) },
  { contentType: 'application/json', payload: `{"a":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_001)}` },
  { contentType: 'application/json', payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
  { contentType: 'application/json; charset=utf-16', payload: '{}' },
  { contentType: 'application/x-www-form-urlencoded', payload: '' },
  { contentType: 'application/x-www-form-urlencoded', payload: '%' },
  { contentType: 'application/x-www-form-urlencoded', payload: '&&==&=&a=%ZZ&%E0%A4%A=1' },
  { contentType: 'application/x-www-form-urlencoded', payload: Buffer.from([0x61, 0x3d, 0xff, 0xfe, 0x00, 0x26, 0x62]) },
  { contentType: 'text/plain', payload: 'hello' },
  { contentType: 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--' },
  { contentType: 'application/xml', payload: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>' },
  { contentType: undefined, payload: 'givenNames=A' },
  { contentType: 'application/x-www-form-urlencoded', payload: `givenNames=${'a'.repeat(1_100_000)}` },
];

/**
 * A stack frame, a JavaScript error's name ("TypeError: ...") or a database message. GOV.UK pages do say
 * "Error: " before a page title and each field message, so a bare "Error:" is expected.
 */
const STACK_TRACE = /\bat [^\n<]*(\/src\/|\/node_modules\/|node:internal|\.ts:\d+|\.m?js:\d+)|\b\w+Error: |violates|syntax error at|invalid input syntax|permission denied|duplicate key/;

interface Caller {
  readonly client: TestClient;
  readonly csrf?: string;
  readonly bearer?: string;
}

for (const engine of testEngines()) {
  describe(`hostile input to every POST and PUT route [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    let caseworker: TestStaff;
    let ids: Record<string, string>;

    const csrfFrom = async (client: TestClient, page: string) => {
      const response = await client.get(page);
      const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
      assert.ok(token, `${page} carries a CSRF token (${response.statusCode})`);
      return token;
    };

    before(async () => {
      harness = await startTestApp(engine, { env: { HEARTH_LOCKOUT_THRESHOLD: '100', HEARTH_REPORT_SAVES_PER_MINUTE: '10000', HEARTH_REPORT_SENDS_PER_HOUR: '10000' } });
      const database = harness.database;
      organisationId = await createOrganisation(database);
      caseworker = await createStaff(database, organisationId, 'caseworker');
      const victim = await createStaff(database, organisationId, 'helpline_worker');

      const people = createPeopleServices(database.db, systemClock, 'Australia/Sydney').people;
      const person = await people.create(caseworker.actor, personDetails({ familyName: 'Subject' }));
      const other = await people.create(caseworker.actor, personDetails({ familyName: 'Relative' }));
      const name = await people.addName(caseworker.actor, person.id, { nameType: 'alias', givenNames: 'Al', familyName: 'Ias' });
      const address = await people.addAddress(
        caseworker.actor,
        person.id,
        { line1: '1 Road', line2: null, suburb: 'Town', state: null, postcode: null, country: null, livedFrom: null, livedUntil: null },
        false,
      );
      const identifier = await people.addIdentifier(caseworker.actor, person.id, { identifierType: 'medicare', value: '2123456701' });
      const relationship = await people.addRelationship(caseworker.actor, person.id, {
        relatedPersonId: other.id,
        relationshipType: 'parent',
        startedOn: null,
        endedOn: null,
        notes: null,
      });
      assert.ok(name.outcome === 'saved' && address.outcome === 'saved' && identifier.outcome === 'saved' && relationship.outcome === 'saved');

      // A pair in the duplicate review queue, and a merge to undo, of people no other route edits.
      const services = createPeopleServices(database.db, systemClock, 'Australia/Sydney');
      const twin = (givenNames: string, familyName: string, dateOfBirth: string) => people.create(caseworker.actor, personDetails({ givenNames, familyName, dateOfBirth, sex: 'female' }));
      const pairA = await twin('Hannah', 'Dupont', '2014-02-03');
      const pairB = await twin('Hanna', 'Dupont', '2014-02-03');
      const survivor = await twin('Ivy', 'Merger', '2013-05-06');
      const merged = await twin('Ivy', 'Merger', '2013-05-06');
      await services.finder.find(actorAsAuditWho(caseworker.actor), { learn: false });
      const pair = (await services.duplicates.pending(caseworker.actor)).pairs.find((p) => [p.a.id, p.b.id].sort().join() === [pairA.id, pairB.id].sort().join());
      assert.ok(pair, 'the finder queued the Dupont pair');
      const merge = await services.merges.merge(caseworker.actor, { survivorId: survivor.id, mergedId: merged.id, survivorVersion: survivor.version, mergedVersion: merged.version, reason: null });
      assert.equal(merge.outcome, 'merged');
      // A phone report about one child, for the identify, screen and second-check routes.
      const frontDoor = new FrontDoorService(database.db, systemClock, practicePack('nsw'), undefined);
      const gathered = gatherReport(frontDoor.pack, 'phone', reportFields({ childCount: '1' }), frontDoor.today());
      assert.ok(gathered.ok);
      const received = await frontDoor.submit(actorAsAuditWho(caseworker.actor), { channel: 'phone', report: gathered.value });
      assert.equal(received.outcome, 'received');
      ids = {
        report: received.outcome === 'received' ? received.reportId : '',
        person: person.id,
        other: other.id,
        names: name.value.id,
        addresses: address.value.id,
        identifiers: identifier.value.id,
        relationship: relationship.value.relationshipId,
        staff: victim.id,
        pair: pair.id,
        merge: merge.outcome === 'merged' ? merge.mergeId : '',
      };
    });
    after(() => harness.close());

    /**
     * A fresh caller for each route, at the stage of signing in the route expects: what one route does to its
     * caller (signing out, a lockout after many wrong codes) must not leave the next route testing a redirect.
     */
    async function callerFor(route: RouteOptions): Promise<Caller> {
      const url = route.url;
      const access = route.config?.access;
      const database = harness.database;
      if (url.startsWith('/api/')) {
        // The least-privileged role the operation allows: a caseworker, else a partner agency's system.
        const permission = access === undefined || access === 'signed-in' || access === 'mfa-pending' ? undefined : access;
        const role = (['caseworker', 'partner_agency', 'helpline_worker'] as const).find((r) => permission === undefined || permission === 'public' || roleHasPermission(r, permission)) ?? 'caseworker';
        const owner = await createStaff(database, organisationId, role);
        return { client: new TestClient(harness.app), bearer: await createApiToken(database.db, owner.id, 'hostile input') };
      }
      const client = new TestClient(harness.app);
      if (url === '/sign-in/code' || url === '/sign-in/set-up-code') {
        // Half-way through signing in: the password given, the code (or setting one up) still to come.
        const staff = await createStaff(database, organisationId, url === '/sign-in/code' ? 'caseworker' : 'administrator', { mfa: url === '/sign-in/code' });
        const response = await client.post('/sign-in', { email: staff.email, password: staff.password });
        assert.match(response.headers.location ?? '', new RegExp(`^${url}`));
        return { client, csrf: await csrfFrom(client, url) };
      }
      if (access === 'public') return { client, csrf: await csrfFrom(client, '/sign-in') };
      // The least-privileged role that may use the route: a caseworker, else a team manager, else an administrator.
      const permission = access === undefined || access === 'signed-in' || access === 'mfa-pending' ? undefined : access;
      const role = (['caseworker', 'team_manager', 'administrator'] as const).find((r) => permission === undefined || roleHasPermission(r, permission));
      assert.ok(role, `a role may use ${url}`);
      const staff = await createStaff(database, organisationId, role, { mfa: role === 'administrator' });
      await client.signIn(staff);
      return { client, csrf: await csrfFrom(client, '/account') };
    }

    /** Everything a refused request must leave untouched: the case records and their versions. */
    const caseRecords = async () => {
      const result = await sql<{ state: string }>`
        select concat_ws(' ',
          (select count(*) || '/' || coalesce(sum(version), 0) from people),
          (select count(*) || '/' || count(removed_at) from person_names),
          (select count(*) || '/' || coalesce(sum(version), 0) from person_addresses),
          (select count(*) || '/' || count(removed_at) from person_identifiers),
          (select count(*) || '/' || coalesce(sum(version), 0) from relationships),
          (select count(*) from story_events),
          (select count(*) || '/' || coalesce(sum(version), 0) || '/' || count(decided_at) from duplicate_candidates),
          (select count(*) || '/' || count(unmerged_at) from person_merges),
          (select count(*) from person_merge_moves),
          (select count(*) || '/' || count(merged_into_id) from people),
          (select count(*) from users),
          (select count(*) || '/' || count(disabled_at) from users),
          (select count(*) || '/' || coalesce(sum(version), 0) from reports),
          (select count(person_id) from report_children),
          (select count(*) from report_screenings)
        ) as state`.execute(harness.database.db);
      return result.rows[0]!.state;
    };

    const pathFor = (url: string) =>
      url
        .replace(/\/(names|addresses|identifiers)\/:partId/, (_m, part: string) => `/${part}/${ids[part]}`)
        .replace(':relationshipId', ids.relationship!)
        .replace(/^\/staff\/:id/, `/staff/${ids.staff}`)
        .replace(/^\/people\/duplicates\/:id/, `/people/duplicates/${ids.pair}`)
        .replace(/^\/people\/merges\/:id/, `/people/merges/${ids.merge}`)
        .replace(/^\/front-door\/reports\/:id/, `/front-door/reports/${ids.report}`)
        .replace(':position', '1')
        .replace(':token', ids[`token ${url}`] ?? (ids[`token ${url}`] = newToken()))
        .replace(/:\w+/g, ids.person!);

    /** The version an edit form would carry now: edits, and parts added to a person, move it on. */
    async function currentVersion(url: string): Promise<number> {
      const db = harness.database.db;
      if (url.includes('/addresses/')) return (await db.selectFrom('person_addresses').select('version').where('id', '=', ids.addresses!).executeTakeFirstOrThrow()).version;
      if (url.includes('/relationships/')) return (await db.selectFrom('relationships').select('version').where('id', '=', ids.relationship!).executeTakeFirstOrThrow()).version;
      if (url.startsWith('/front-door/reports/')) return (await db.selectFrom('reports').select('version').where('id', '=', ids.report!).executeTakeFirstOrThrow()).version;
      if (url.startsWith('/people/duplicates/')) return (await db.selectFrom('duplicate_candidates').select('version').where('id', '=', ids.pair!).executeTakeFirstOrThrow()).version;
      return (await db.selectFrom('people').select('version').where('id', '=', ids.person!).executeTakeFirstOrThrow()).version;
    }

    async function send(caller: Caller, method: 'POST' | 'PUT', url: string, contentType: string | undefined, payload: string | Buffer) {
      const before = await caseRecords();
      const response = await caller.client.request({
        method,
        url,
        headers: {
          ...(contentType ? { 'content-type': contentType } : {}),
          ...(caller.bearer ? { authorization: `Bearer ${caller.bearer}` } : {}),
        },
        payload,
      });
      check(response, `${method} ${url} ${contentType ?? '(no content type)'} ${String(payload).slice(0, 300)}`);
      if (response.statusCode >= 400) assert.equal(await caseRecords(), before, `a refused request changed nothing: ${method} ${url} -> ${response.statusCode}`);
      return response;
    }

    function check(response: LightMyRequestResponse, what: string) {
      assert.ok(response.statusCode < 500, `${response.statusCode} for ${what}\n${response.body.slice(0, 1000)}`);
      assert.doesNotMatch(response.body, STACK_TRACE, `no stack trace for ${what}`);
      assert.ok(!response.body.includes(SCRIPT), `a script is never echoed unescaped: ${what}`);
      if (what.includes(' /api/')) {
        assert.match(String(response.headers['content-type']), /^application\/json/, `the API answers in JSON: ${what}`);
      }
    }

    const statusesSeen = new Map<string, Set<number>>();
    const seen = (route: string, status: number) => {
      const set = statusesSeen.get(route) ?? new Set<number>();
      set.add(status);
      statusesSeen.set(route, set);
    };

    it('covers every POST and PUT route, signed in with the permission each needs', async (t) => {
      const routes = harness.app.registeredRoutes.filter((r) => [r.method].flat().some((m) => m === 'POST' || m === 'PUT'));
      assert.ok(routes.length >= 15, `found ${routes.length} routes`);
      for (const route of routes) {
        const method = [route.method].flat().find((m): m is 'POST' | 'PUT' => m === 'POST' || m === 'PUT')!;
        const url = pathFor(route.url);
        assert.doesNotMatch(url, /:/, `every parameter of ${route.url} was given a real id`);
        const caller = await callerFor(route);
        const label = `${method} ${route.url}`;

        if (url.startsWith('/api/')) {
          await fc.assert(
            fc.asyncProperty(apiBody(route.url, method === 'PUT'), async (body) => {
              const version = await currentVersion(route.url);
              const json = JSON.stringify(body, (key, value: unknown) => (key === 'version' && value === CURRENT_VERSION ? version : value));
              const response = await send(caller, method, url, 'application/json', json);
              seen(label, response.statusCode);
            }),
            { numRuns: 60 },
          );
          await fc.assert(
            fc.asyncProperty(urlencodedBody({}), async ({ fields, broken }) => {
              const payload = [...fields.map(([k, v]) => [v].flat().map((one) => encodeField(k, one)).join('&')), ...broken.map(([k, v]) => `${k}=${v}`)].join('&');
              const response = await send(caller, method, url, 'application/x-www-form-urlencoded', payload);
              seen(label, response.statusCode);
            }),
            { numRuns: 10 },
          );
        } else {
          const csrf = `_csrf=${encodeURIComponent(caller.csrf!)}`;
          // What each form needs besides the person fields, so a mostly-valid body can get through.
          const relationshipFields = route.url.includes('/relationships')
            ? { relatedPersonId: ids.other! }
            : route.url.includes('/children/')
              ? { personId: ids.person! }
              : route.url.endsWith('/screen')
                ? { rosh: 'no', outcome: 'closed', rationale: 'Nothing more is needed.' }
                : route.url.endsWith('/second-check')
                  ? { agree: 'yes' }
                  : route.url.includes('/draft')
                    ? Object.fromEntries(Object.entries(reportFields({ childCount: '1' })).map(([k, v]) => [k, String([v].flat()[0] ?? '')]))
                    : {};
          await fc.assert(
            fc.asyncProperty(urlencodedBody(relationshipFields), async ({ fields, broken, bytes }) => {
              const version = String(await currentVersion(route.url));
              const text = [...fields.map(([k, v]) => [k, v === CURRENT_VERSION ? version : v] as const).map(([k, v]) => [v].flat().map((one) => encodeField(k, one)).join('&')), ...broken.map(([k, v]) => `${k}=${v}`), csrf].join('&');
              const payload = bytes ? Buffer.concat([Buffer.from(bytes), Buffer.from(`=&${text}`)]) : text;
              const response = await send(caller, method, url, 'application/x-www-form-urlencoded', payload);
              seen(label, response.statusCode);
            }),
            { numRuns: 30 },
          );
          await fc.assert(
            fc.asyncProperty(
              fc.dictionary(fc.constantFrom(...Object.keys(VALID_FORM), 'relatedPersonId', ...HOSTILE_KEYS.filter((k) => k !== '__proto__' && k !== 'constructor')), hostileJson, { maxKeys: 5 }),
              async (hostile) => {
                const version = String(await currentVersion(route.url));
                const body = { ...VALID_FORM, version, ...relationshipFields, ...hostile, _csrf: caller.csrf };
                const response = await send(caller, method, url, 'application/json', JSON.stringify(body));
                seen(label, response.statusCode);
              },
            ),
            { numRuns: 15 },
          );
        }
        for (const raw of RAW_BODIES) {
          const response = await send(caller, method, url, raw.contentType, raw.payload);
          seen(label, response.statusCode);
        }
      }
      // The hostile bodies reached the handlers: every route gave more than a blanket refusal, and every
      // route behind a permission also saw some mostly-valid body get through.
      for (const route of routes) {
        const method = [route.method].flat().find((m): m is 'POST' | 'PUT' => m === 'POST' || m === 'PUT')!;
        const label = `${method} ${route.url}`;
        const statuses = [...(statusesSeen.get(label) ?? [])].sort();
        t.diagnostic(`${label}: ${statuses.join(' ')}`);
        assert.ok(statuses.length >= 2, `${label} answered only ${statuses.join(', ')}`);
        const access = route.config?.access;
        if (access && !['public', 'signed-in', 'mfa-pending'].includes(access)) {
          assert.ok(statuses.some((s) => s < 400), `${label} never accepted a body: ${statuses.join(', ')}`);
        }
      }
    });

    it('answers any query to the people search, page and API, with a page or a 400, never a 5xx, a trace or a script', async () => {
      const page = await callerFor({ url: '/people', method: 'GET', config: { access: 'people:read' } } as RouteOptions);
      const api = await callerFor({ url: '/api/v1/people/search', method: 'GET' } as RouteOptions);
      const keys = ['given', 'family', 'name', 'dateOfBirth', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year', 'birthYear', 'birthMonth', 'ageFrom', 'ageTo', 'sex', 'street', 'suburb', 'postcode', 'identifier', 'limit', ...HOSTILE_KEYS];
      const statuses = { page: new Set<number>(), api: new Set<number>() };
      const before = await caseRecords();
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          fc.array(fc.tuple(fc.constantFrom(...keys), hostileString), { maxLength: 4 }),
          fc.array(fc.tuple(fc.constantFrom(...keys), brokenEncoding), { maxLength: 2 }),
          async (withValidName, hostile, broken) => {
            const query = [
              ...(withValidName ? ['given=Hannah', 'family=Dupont'] : []),
              ...hostile.map(([k, v]) => encodeField(k, v)),
              ...broken.map(([k, v]) => `${k}=${v}`),
            ].join('&');
            for (const [which, caller, path] of [['page', page, '/people'], ['api', api, '/api/v1/people/search']] as const) {
              const response = await caller.client.request({ method: 'GET', url: `${path}?${query}`, headers: caller.bearer ? { authorization: `Bearer ${caller.bearer}` } : {} });
              check(response, `GET ${path}?${query.slice(0, 300)}`);
              statuses[which].add(response.statusCode);
            }
          },
        ),
        { numRuns: 80 },
      );
      // Both found people for some queries and refused others with a message: the handlers were reached.
      for (const which of ['page', 'api'] as const) {
        assert.ok(statuses[which].has(200) && statuses[which].has(400), `${which}: ${[...statuses[which]].join(', ')}`);
      }
      assert.equal(await caseRecords(), before, 'a search changes no record');
    });

    it('refuses a person whose details are hostile without writing any row, page or API', async () => {
      const page = await callerFor({ url: '/people', method: 'POST', config: { access: 'people:write' } } as RouteOptions);
      const api = await callerFor({ url: '/api/v1/people', method: 'POST' } as RouteOptions);
      const before = await harness.database.db.selectFrom('people').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const form = await page.client.request({
        method: 'POST',
        url: '/people',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `givenNames=Ada&familyName=${encodeURIComponent('Bad\u0000name')}&_csrf=${encodeURIComponent(page.csrf!)}`,
      });
      assert.equal(form.statusCode, 400);
      assert.match(form.body, /Family name contains characters Hearth cannot store/);
      const refused = await api.client.request({
        method: 'POST',
        url: '/api/v1/people',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${api.bearer}` },
        payload: JSON.stringify({ givenNames: 'Ada', familyName: 'x'.repeat(10_000) }),
      });
      assert.equal(refused.statusCode, 400);
      assert.deepEqual((JSON.parse(refused.body) as { fieldErrors?: unknown }).fieldErrors, { familyName: ['Family name must be 100 characters or fewer'] });
      const afterwards = await harness.database.db.selectFrom('people').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterwards.n), Number(before.n));
    });
  });
}
