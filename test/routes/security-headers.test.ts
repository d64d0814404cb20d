import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, TestClient, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation, createStaff } from '../support/factories.ts';

/** The directives of a Content-Security-Policy header, by name. */
function cspDirectives(response: LightMyRequestResponse): Map<string, string[]> {
  const header = response.headers['content-security-policy'];
  assert.equal(typeof header, 'string', 'a Content-Security-Policy header');
  return new Map(
    (header as string)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** The opening tags of the scripts written into the page itself (no src). */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !/\bsrc=/.test(tag));
}

for (const engine of testEngines()) {
  describe(`security headers on pages [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine);
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    it("sends a strict Content-Security-Policy: no 'unsafe-inline', no framing, scripts from Hearth plus this page's nonce", async () => {
      const page = await harness.app.inject({ method: 'GET', url: '/sign-in' });
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.headers['content-security-policy'] as string, /unsafe-inline|unsafe-eval/);
      const csp = cspDirectives(page);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(csp.get('default-src'), ["'self'"]);
      assert.deepEqual(csp.get('object-src'), ["'none'"]);
      assert.deepEqual(csp.get('base-uri'), ["'self'"]);
      assert.deepEqual(csp.get('form-action'), ["'self'"]);
      const scriptSrc = csp.get('script-src') ?? [];
      assert.equal(scriptSrc[0], "'self'");
      const nonces = scriptSrc.filter((s) => s.startsWith("'nonce-"));
      assert.equal(nonces.length, 1, 'one script nonce');
      assert.deepEqual(scriptSrc, ["'self'", nonces[0]], 'nothing else may run');
      const nonce = /^'nonce-([A-Za-z0-9+/=_-]{16,})'$/.exec(nonces[0]!)?.[1];
      assert.ok(nonce, 'a long random nonce');

      const inline = inlineScripts(page.body);
      assert.ok(inline.length >= 1, "GOV.UK Frontend's inline script is on the page");
      for (const tag of inline) assert.ok(tag.includes(`nonce="${nonce}"`), `${tag} carries the header's nonce`);

      const again = await harness.app.inject({ method: 'GET', url: '/sign-in' });
      assert.ok(!(again.headers['content-security-policy'] as string).includes(nonce), 'a fresh nonce for every response');
    });

    it('sends the other protective headers, and no-store on pages', async () => {
      const page = await harness.app.inject({ method: 'GET', url: '/sign-in' });
      assert.equal(page.headers['referrer-policy'], 'same-origin');
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      assert.equal(page.headers['x-frame-options'], 'DENY', 'the same answer as frame-ancestors for browsers without CSP');
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.ok(page.headers['x-request-id'], 'a request id to quote to support');
    });

    it('keeps signed-in pages, error pages and JSON out of caches; only assets are cacheable', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      await client.signIn(staff);
      for (const url of ['/', '/people', '/account', '/audit', '/no-such-page', '/health', '/api/v1/openapi.json']) {
        const response = await client.get(url);
        assert.equal(response.headers['cache-control'], 'no-store', url);
        assert.ok(response.headers['content-security-policy'], url);
      }
      const css = await client.get('/assets/hearth.css');
      assert.equal(css.statusCode, 200);
      assert.match(css.headers['cache-control'] as string, /^public, max-age=\d+$/);
    });

    it('sends no HSTS over plain HTTP, and ignores x-forwarded-proto from a proxy it does not trust', async () => {
      assert.equal(harness.config.trustProxy, false, 'the default');
      const plain = await harness.app.inject({ method: 'GET', url: '/sign-in' });
      assert.equal(plain.headers['strict-transport-security'], undefined);
      const spoofed = await harness.app.inject({ method: 'GET', url: '/sign-in', headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(spoofed.headers['strict-transport-security'], undefined);
    });
  });

  describe(`behind a trusted TLS proxy [${engine.name}]`, () => {
    let harness: TestApp;
    let organisationId: string;
    before(async () => {
      harness = await startTestApp(engine, { env: { HEARTH_TRUST_PROXY: 'true' } });
      organisationId = await createOrganisation(harness.database);
    });
    after(() => harness.close());

    it('sends HSTS when the request arrived over https, and not when it did not', async () => {
      const secure = await harness.app.inject({ method: 'GET', url: '/sign-in', headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(secure.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      const plain = await harness.app.inject({ method: 'GET', url: '/sign-in', headers: { 'x-forwarded-proto': 'http' } });
      assert.equal(plain.headers['strict-transport-security'], undefined);
    });

    it('marks the session and form cookies Secure over https', async () => {
      const staff = await createStaff(harness.database, organisationId, 'caseworker');
      const client = new TestClient(harness.app);
      const https = { 'x-forwarded-proto': 'https' };
      const page = await client.request({ method: 'GET', url: '/sign-in', headers: https });
      const csrfCookie = page.cookies.find((c) => c.name === 'hearth_csrf');
      assert.equal(csrfCookie?.secure, true);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const signedIn = await client.request({
        method: 'POST',
        url: '/sign-in',
        headers: { ...https, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ email: staff.email, password: staff.password, _csrf: token }).toString(),
      });
      assert.equal(signedIn.statusCode, 303);
      const session = signedIn.cookies.find((c) => c.name === 'hearth_session');
      assert.equal(session?.secure, true);
      assert.equal(session?.httpOnly, true);
    });

    it('takes the request id from a trusted proxy when it is well formed, and makes its own otherwise', async () => {
      const passed = await harness.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'lb-1234.abc' } });
      assert.equal(passed.headers['x-request-id'], 'lb-1234.abc');
      const odd = await harness.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': '<script>' } });
      assert.notEqual(odd.headers['x-request-id'], '<script>');
      assert.match(odd.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
    });
  });
}
