import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RouteOptions } from 'fastify';
import pino from 'pino';
import { createApp } from '../../src/app.ts';
import { loadConfig, ROLE_NAMES } from '../../src/config.ts';
import { createPeopleServices } from '../../src/services.ts';
import { actorAsAuditWho } from '../../src/platform/audit/audit-log.ts';
import { createApiToken } from '../../src/platform/auth/api-tokens.ts';
import { permissionsOf, type Permission, type RoleName } from '../../src/platform/access/roles.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { pageText, startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff, personDetails, type TestStaff } from '../support/factories.ts';

const NON_PERMISSION_RULES = new Set<string>(['public', 'signed-in', 'mfa-pending']);
const VALID_RULES = new Set<string>([...NON_PERMISSION_RULES, ...ROLE_NAMES.flatMap((role) => permissionsOf(role))]);

/** A concrete address for a route pattern: each :param becomes an id that names no record. */
function exampleUrl(pattern: string): string {
  return pattern.replace(/:\w+/g, () => randomUUID()).replace(/\*$/, 'example');
}

/**
 * The routes anyone may use without signing in. A new public route must be added here on purpose,
 * so that opening a page to the world is always a reviewed decision.
 */
const PUBLIC_ROUTES = new Set([
  'GET /assets/hearth.css',
  'GET /assets/*',
  'GET /health',
  'GET /ready',
  'GET /sign-in',
  'POST /sign-in',
  'POST /sign-out',
  'GET /accessibility',
  'GET /cookies',
  'GET /api/v1/openapi.json',
  // The reporter's guide: for anyone worried about a child; it asks for no personal details.
  'GET /report',
  'GET /report/guide/call-000',
  'GET /report/guide/recommendation',
  'GET /report/guide/:step',
  'POST /report/guide/:step',
  // The online report: a reporter needs no account. Its drafts and status pages are found only by
  // 256-bit private links; saving and sending are rate-limited per address.
  'GET /report/online',
  'GET /report/draft/:token',
  'POST /report/draft/:token',
  'POST /report/draft/:token/send',
  'GET /report/status/:token',
]);

function methodsOf(route: RouteOptions): string[] {
  return [route.method].flat().map(String);
}

/** Each route as "METHOD /url" with the access rule it declares (undefined when it declares none). */
function routeRules(routes: readonly RouteOptions[]): { name: string; method: string; url: string; access: unknown }[] {
  return routes.flatMap((route) =>
    methodsOf(route).map((method) => ({
      name: `${method} ${route.url}`,
      method,
      url: route.url,
      access: (route.config as { access?: unknown } | undefined)?.access,
    })),
  );
}

function routesWithoutAccess(routes: readonly RouteOptions[]): string[] {
  return routeRules(routes)
    .filter((r) => typeof r.access !== 'string' || !VALID_RULES.has(r.access))
    .map((r) => r.name);
}

type Page = 'people' | 'people/new' | 'person' | 'duplicates' | 'duplicates/pair' | 'merge/undo' | 'audit' | 'audit/person' | 'account' | 'home';
type Expected = Record<Page, 200 | 403>;

const reader = { people: 200, 'people/new': 200, person: 200, duplicates: 403, 'duplicates/pair': 403, 'merge/undo': 403, audit: 403, 'audit/person': 403, account: 200, home: 200 } as const;
const auditReader = { people: 403, 'people/new': 403, person: 403, duplicates: 403, 'duplicates/pair': 403, 'merge/undo': 403, audit: 200, 'audit/person': 200, account: 200, home: 200 } as const;

/** Least privilege: what each role may open. Merging records, and undoing a merge, is a team manager's decision. */
const ROLE_MATRIX: Record<RoleName, Expected> = {
  helpline_worker: reader,
  caseworker: reader,
  team_manager: { ...reader, duplicates: 200, 'duplicates/pair': 200, 'merge/undo': 200 },
  partner_agency: { people: 403, 'people/new': 403, person: 403, duplicates: 403, 'duplicates/pair': 403, 'merge/undo': 403, audit: 403, 'audit/person': 403, account: 200, home: 200 },
  administrator: auditReader,
  auditor: auditReader,
};

/** Who may call the people search API with a token of their own: those who may read people. */
const SEARCH_API: Record<RoleName, 200 | 403> = {
  helpline_worker: 200,
  caseworker: 200,
  team_manager: 200,
  partner_agency: 403,
  administrator: 403,
  auditor: 403,
};

/** The routes that merge records or undo merges: the walks below must reach each one. */
const MERGE_ROUTES = ['GET /people/duplicates', 'GET /people/duplicates/:id', 'POST /people/duplicates/:id', 'GET /people/merges/:id/undo', 'POST /people/merges/:id/undo'];

interface Records {
  readonly person: string;
  readonly pair: string;
  readonly merge: string;
}

function urlOf(page: Page, records: Records): string {
  switch (page) {
    case 'people':
      return '/people';
    case 'people/new':
      return '/people/new';
    case 'person':
      return `/people/${records.person}`;
    case 'duplicates':
      return '/people/duplicates';
    case 'duplicates/pair':
      return `/people/duplicates/${records.pair}`;
    case 'merge/undo':
      return `/people/merges/${records.merge}/undo`;
    case 'audit':
      return '/audit';
    case 'audit/person':
      return `/audit/people/${records.person}`;
    case 'account':
      return '/account';
    case 'home':
      return '/';
  }
}

/** A pair in the organisation's duplicate review queue, and a merge that can be undone. */
async function pairAndMerge(harness: TestApp, staff: TestStaff, familyName: string): Promise<{ pair: string; merge: string }> {
  const services = createPeopleServices(harness.database.db, systemClock, harness.config.timeZone);
  const twin = (givenNames: string) => services.people.create(staff.actor, personDetails({ givenNames, familyName, dateOfBirth: '2014-02-03', sex: 'female' }));
  const [a, b, survivor, merged] = [await twin('Hannah'), await twin('Hanna'), await twin('Ivy'), await twin('Ivy')];
  await services.finder.find(actorAsAuditWho(staff.actor), { learn: false });
  const pair = (await services.duplicates.pending(staff.actor)).pairs.find((p) => new Set([p.a.id, p.b.id, a.id, b.id]).size === 2);
  assert.ok(pair, `the finder queued the ${familyName} pair`);
  const merge = await services.merges.merge(staff.actor, { survivorId: survivor.id, mergedId: merged.id, survivorVersion: survivor.version, mergedVersion: merged.version, reason: null });
  assert.ok(merge.outcome === 'merged');
  return { pair: pair.id, merge: merge.mergeId };
}

for (const engine of testEngines()) {
  describe(`deny by default [${engine.name}]`, () => {
    let harness: TestApp;
    before(async () => {
      harness = await startTestApp(engine);
    });
    after(() => harness.close());

    it('gives every registered route an access rule', () => {
      const routes = harness.app.registeredRoutes;
      assert.ok(routes.length > 20, 'the route table was recorded');
      assert.deepEqual(routesWithoutAccess(routes), [], 'these routes have no config.access');
    });

    it('opens only the reviewed routes to the public', () => {
      const open = routeRules(harness.app.registeredRoutes)
        .filter((r) => r.access === 'public' && r.method !== 'HEAD')
        .map((r) => r.name);
      assert.deepEqual(open.filter((name) => !PUBLIC_ROUTES.has(name)), [], 'public routes not yet reviewed');
    });

    it('sends an anonymous visitor to sign in from every page that is not public, and answers 401 on the API', async () => {
      for (const route of routeRules(harness.app.registeredRoutes)) {
        if (route.access === 'public' || route.method === 'HEAD') continue;
        const response = await harness.app.inject({ method: route.method as 'GET', url: exampleUrl(route.url) });
        if (route.url.startsWith('/api/')) {
          assert.equal(response.statusCode, 401, route.name);
        } else {
          assert.equal(response.statusCode, 303, route.name);
          assert.match(response.headers.location ?? '', /^\/sign-in(\?|$)/, route.name);
        }
      }
    });

    it('guards the merge routes with people:merge, which only a team manager holds', () => {
      const rules = routeRules(harness.app.registeredRoutes).filter((r) => r.method !== 'HEAD');
      assert.deepEqual(rules.filter((r) => r.access === 'people:merge').map((r) => r.name).sort(), [...MERGE_ROUTES].sort());
      assert.deepEqual(ROLE_NAMES.filter((role) => permissionsOf(role).includes('people:merge')), ['team_manager']);
      assert.equal(rules.find((r) => r.name === 'GET /api/v1/people/search')?.access, 'people:read');
    });

    it('refuses every route that needs a permission to each signed-in role that lacks it', async () => {
      const organisationId = await createOrganisation(harness.database);
      const walked = new Set<string>();
      for (const role of ROLE_NAMES) {
        const client = new TestClient(harness.app);
        await client.signIn(await createStaff(harness.database, organisationId, role, { mfa: role === 'administrator' }));
        const refused = routeRules(harness.app.registeredRoutes).filter(
          (r) => r.method !== 'HEAD' && !r.url.startsWith('/api/') && VALID_RULES.has(r.access as string) && !NON_PERMISSION_RULES.has(r.access as string),
        );
        for (const route of refused.filter((r) => !permissionsOf(role).includes(r.access as Permission))) {
          const response = route.method === 'GET' ? await client.get(exampleUrl(route.url)) : await client.post(exampleUrl(route.url), {});
          assert.equal(response.statusCode, 403, `${role}: ${route.name}`);
          assert.match(pageText(response.body), /You do not have permission to see this page/, `${role}: ${route.name}`);
          walked.add(route.name);
        }
      }
      for (const name of MERGE_ROUTES) assert.ok(walked.has(name), `the walk reached ${name}`);
    });

    it('refuses every API route that needs a permission to a token whose owner lacks it', async () => {
      const organisationId = await createOrganisation(harness.database);
      const walked = new Set<string>();
      for (const role of ROLE_NAMES) {
        const token = await createApiToken(harness.database.db, (await createStaff(harness.database, organisationId, role)).id, `walk ${role}`);
        const guarded = routeRules(harness.app.registeredRoutes).filter(
          (r) => r.method !== 'HEAD' && r.url.startsWith('/api/') && VALID_RULES.has(r.access as string) && !NON_PERMISSION_RULES.has(r.access as string),
        );
        for (const route of guarded.filter((r) => !permissionsOf(role).includes(r.access as Permission))) {
          const response = await harness.app.inject({
            method: route.method as 'GET',
            url: exampleUrl(route.url),
            headers: { authorization: `Bearer ${token}`, ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
            ...(route.method === 'GET' ? {} : { payload: '{}' }),
          });
          assert.equal(response.statusCode, 403, `${role}: ${route.name}`);
          assert.equal(response.json<{ error: string }>().error, 'forbidden', `${role}: ${route.name}`);
          walked.add(route.name);
        }
      }
      assert.ok(walked.has('GET /api/v1/people/search'), 'the walk reached the people search');
    });

    it('gives every HEAD route the same rule as its GET route', () => {
      const rules = routeRules(harness.app.registeredRoutes);
      for (const head of rules.filter((r) => r.method === 'HEAD')) {
        const get = rules.find((r) => r.method === 'GET' && r.url === head.url);
        assert.ok(get, `${head.name} mirrors a GET route`);
        assert.equal(head.access, get.access, head.name);
      }
    });
  });

  describe(`a route without an access rule is closed [${engine.name}]`, () => {
    it('answers 403 to a route registered without config.access, signed in or not', async () => {
      const database = await engine.createDatabase();
      const app = await createApp({
        config: loadConfig({ NODE_ENV: 'test', HEARTH_SIGN_IN_RATE_LIMIT: '10000' }),
        database,
        clock: systemClock,
        logger: pino({ level: 'silent' }),
        cookieSecret: 'test-cookie-secret-test-cookie-secret',
        demo: false,
      });
      try {
        await app.register(async (instance) => {
          instance.get('/unprotected', async () => 'the secret');
          instance.post('/unprotected', async () => 'the secret');
          instance.get('/api/v1/unprotected', async () => ({ secret: 'the secret' }));
        });
        await app.ready();

        assert.deepEqual(
          routesWithoutAccess(app.registeredRoutes).sort(),
          ['GET /api/v1/unprotected', 'GET /unprotected', 'HEAD /api/v1/unprotected', 'HEAD /unprotected', 'POST /unprotected'],
          'the route-table check names exactly the routes without a rule',
        );

        const anonymous = await app.inject({ method: 'GET', url: '/unprotected' });
        assert.equal(anonymous.statusCode, 403);
        assert.ok(!anonymous.body.includes('the secret'));
        assert.match(pageText(anonymous.body), /This page has no access rule, so it is closed to everyone/);

        const organisationId = await createOrganisation(database);
        const client = new TestClient(app);
        await client.signIn(await createStaff(database, organisationId, 'team_manager'));
        const signedIn = await client.get('/unprotected');
        assert.equal(signedIn.statusCode, 403);
        assert.ok(!signedIn.body.includes('the secret'));
        const posted = await client.post('/unprotected', {});
        assert.equal(posted.statusCode, 403);
        assert.ok(!posted.body.includes('the secret'));

        const api = await app.inject({ method: 'GET', url: '/api/v1/unprotected' });
        assert.equal(api.statusCode, 403);
        assert.equal(api.json<{ error: string }>().error, 'forbidden');
      } finally {
        await app.close();
        await database.close();
      }
    });
  });

  describe(`each role sees only what it should [${engine.name}]`, () => {
    let harness: TestApp;
    let ownPersonId: string;
    let otherPersonId: string;
    let own: Records;
    let other: Records;
    const staffByRole = new Map<RoleName, TestStaff>();
    const clients = new Map<RoleName, TestClient>();

    before(async () => {
      harness = await startTestApp(engine);
      const ownOrganisation = await createOrganisation(harness.database, 'Own organisation');
      const otherOrganisation = await createOrganisation(harness.database, 'Other organisation');
      const people = createPeopleServices(harness.database.db, systemClock, harness.config.timeZone).people;
      const ownWorker = await createStaff(harness.database, ownOrganisation, 'caseworker');
      const otherWorker = await createStaff(harness.database, otherOrganisation, 'caseworker');
      ownPersonId = (await people.create(ownWorker.actor, personDetails({ givenNames: 'Olive', familyName: 'Ownorg' }))).id;
      otherPersonId = (await people.create(otherWorker.actor, personDetails({ givenNames: 'Oscar', familyName: 'Otherorg' }))).id;
      own = { person: ownPersonId, ...(await pairAndMerge(harness, ownWorker, 'Ownpair')) };
      other = { person: otherPersonId, ...(await pairAndMerge(harness, otherWorker, 'Otherpair')) };
      for (const role of ROLE_NAMES) {
        const staff = await createStaff(harness.database, ownOrganisation, role, { mfa: role === 'administrator' });
        const client = new TestClient(harness.app);
        await client.signIn(staff);
        staffByRole.set(role, staff);
        clients.set(role, client);
      }
    });
    after(() => harness.close());

    it('covers all six roles', () => {
      assert.deepEqual([...ROLE_NAMES].sort(), Object.keys(ROLE_MATRIX).sort());
    });

    for (const role of ROLE_NAMES) {
      it(`${role}: answers each page with the status the role allows`, async () => {
        const client = clients.get(role)!;
        const actual: Record<string, number> = {};
        for (const page of Object.keys(ROLE_MATRIX[role]) as Page[]) {
          actual[page] = (await client.get(urlOf(page, own))).statusCode;
        }
        assert.deepEqual(actual, ROLE_MATRIX[role]);
      });

      it(`${role}: cannot tell another organisation's person from one that does not exist`, async () => {
        const client = clients.get(role)!;
        const nobody = { person: randomUUID(), pair: randomUUID(), merge: randomUUID() };
        for (const page of ['person', 'audit/person', 'duplicates/pair'] as const) {
          const theirs = await client.get(urlOf(page, other));
          const missing = await client.get(urlOf(page, nobody));
          const expected = ROLE_MATRIX[role][page] === 200 ? 404 : 403;
          assert.equal(theirs.statusCode, expected, `${page} of another organisation's record`);
          assert.equal(missing.statusCode, expected, `${page} of nobody`);
          assert.ok(!/Otherorg|Otherpair/.test(pageText(theirs.body)), `${page} shows nothing of them`);
        }
      });
    }

    it("shows a person's own organisation their record, and never finds another organisation's", async () => {
      const client = clients.get('caseworker')!;
      const page = await client.get(`/people/${ownPersonId}`);
      assert.match(pageText(page.body), /Olive Ownorg/);
      const search = await client.get('/people?name=Otherorg');
      assert.equal(search.statusCode, 200);
      assert.ok(!search.body.includes(otherPersonId));
      assert.ok(!pageText(search.body).includes('Oscar'));
      const found = await client.get('/people?name=Ownorg');
      assert.ok(found.body.includes(ownPersonId), 'the control: a search does find people');

      const auditor = clients.get('auditor')!;
      const auditSearch = await auditor.get('/audit?name=Otherorg');
      assert.equal(auditSearch.statusCode, 200);
      assert.ok(!auditSearch.body.includes(otherPersonId));
      assert.ok((await auditor.get('/audit?name=Ownorg')).body.includes(ownPersonId));
    });

    it('lets a token search people only when its owner may read people', async () => {
      const actual: Record<string, number> = {};
      for (const role of ROLE_NAMES) {
        const token = await createApiToken(harness.database.db, staffByRole.get(role)!.id, `search ${role}`);
        const response = await harness.app.inject({ method: 'GET', url: '/api/v1/people/search?family=Ownorg', headers: { authorization: `Bearer ${token}` } });
        actual[role] = response.statusCode;
        if (response.statusCode === 200) {
          const ids = response.json<{ candidates: { id: string }[] }>().candidates.map((c) => c.id);
          assert.ok(ids.includes(ownPersonId), `${role}: finds their own organisation's person`);
        }
      }
      assert.deepEqual(actual, SEARCH_API);
    });

    it("never shows a team manager another organisation's pairs, nor lets them decide or undo another organisation's merge", async () => {
      const manager = clients.get('team_manager')!;
      const queue = await manager.get('/people/duplicates');
      assert.equal(queue.statusCode, 200);
      assert.ok(queue.body.includes(own.pair), 'the control: their own pair is listed');
      assert.ok(!queue.body.includes(other.pair) && !pageText(queue.body).includes('Otherpair'));

      const db = harness.database.db;
      const state = async () => ({
        pair: await db.selectFrom('duplicate_candidates').select(['status', 'version']).where('id', '=', other.pair).executeTakeFirstOrThrow(),
        merge: await db.selectFrom('person_merges').select('unmerged_at').where('id', '=', other.merge).executeTakeFirstOrThrow(),
      });
      const before = await state();
      const decided = await manager.post(`/people/duplicates/${other.pair}`, { decision: 'different', version: '1', versionA: '1', versionB: '1' });
      assert.equal(decided.statusCode, 404);
      const undone = await manager.post(`/people/merges/${other.merge}/undo`, {});
      assert.equal(undone.statusCode, 404);
      assert.deepEqual(before, { pair: { status: 'pending', version: 1 }, merge: { unmerged_at: null } });
      assert.deepEqual(await state(), before, 'their pair is still pending and their merge still stands');
    });

    it('tells partner agency users that no children have been shared, and offers them no people pages', async () => {
      const home = await clients.get('partner_agency')!.get('/');
      assert.equal(home.statusCode, 200);
      const text = pageText(home.body);
      assert.match(text, /No children have been shared with your agency yet/);
      assert.ok(!home.body.includes('href="/people'), 'no link to people pages');
      assert.ok(!home.body.includes('href="/audit'), 'no link to the audit');
      for (const role of ROLE_NAMES.filter((r) => r !== 'partner_agency')) {
        assert.doesNotMatch(pageText((await clients.get(role)!.get('/')).body), /No children have been shared/, role);
      }
    });

    it('offers each role only menu items it may open, and partner agency users only their account', async () => {
      const menu = async (role: RoleName) => {
        const html = (await clients.get(role)!.get('/account')).body;
        return [...html.matchAll(/class="govuk-service-navigation__link" href="([^"]+)"/g)].map((m) => m[1]!);
      };
      for (const role of ROLE_NAMES) {
        const links = await menu(role);
        assert.ok(links.includes('/account'), role);
        for (const href of links) assert.equal((await clients.get(role)!.get(href)).statusCode, 200, `${role}: ${href}`);
      }
      assert.deepEqual(await menu('partner_agency'), ['/account']);
      assert.ok((await menu('caseworker')).includes('/people'));
      assert.ok(!(await menu('auditor')).includes('/people'));
    });
  });
}
