import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser, freePort, ServerProcess, waitUntilHealthy } from '../support/server-process.ts';

const SEARCHED_NAME = 'Zebedee';

describe('the server process', () => {
  let dataDir: string;
  let server: ServerProcess;
  let baseUrl: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-server-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = new ServerProcess({ PORT: String(port), HEARTH_DATA_DIR: dataDir });
    await waitUntilHealthy(baseUrl, server);
  }, { timeout: 180_000 });

  after(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is ready on its embedded database', async () => {
    const response = await fetch(`${baseUrl}/ready`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ready', database: 'pglite' });
  });

  it('sends a signed-out search to sign in, and a signed-in search works', async () => {
    const browser = new Browser(baseUrl);
    const signedOut = await browser.request(`/people?name=${SEARCHED_NAME}+Quill`);
    assert.equal(signedOut.status, 303);
    assert.match(signedOut.location ?? '', /^\/sign-in\?returnTo=/);
    const signedIn = await browser.request('/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: (await browser.signInForm()).toString(),
    });
    assert.equal(signedIn.status, 303, signedIn.body.slice(0, 500));
    const search = await browser.request(`/people?name=${SEARCHED_NAME}+Quill`);
    assert.equal(search.status, 200);
    assert.match(search.body, /Find a person/);
  });

  it('finishes a request in flight when told to stop, then exits 0 and says it stopped cleanly', async () => {
    const browser = new Browser(baseUrl);
    const body = (await browser.signInForm()).toString();
    const half = Math.floor(body.length / 2);
    const url = new URL(`${baseUrl}/sign-in`);

    // A client that keeps connections open, as a reverse proxy does: it must not hold up the exit.
    const agent = new http.Agent({ keepAlive: true });
    // Send the headers and half the body: the request has begun, and cannot finish until the rest arrives.
    const started = server.nextLine((line) => line.includes('"incoming request"') && line.includes('"method":"POST"') && line.includes('"/sign-in"'));
    const request = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), cookie: browser.cookieHeader },
    });
    const response = new Promise<{ status: number; location: string | undefined; connection: string | undefined }>((resolve, reject) => {
      request.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, connection: res.headers.connection }));
      });
      request.on('error', reject);
    });
    request.write(body.slice(0, half));
    await started;

    const shuttingDown = server.nextLine((line) => line.includes('shutting down'));
    server.child.kill('SIGTERM');
    await shuttingDown;
    request.end(body.slice(half));

    const answered = await response;
    assert.equal(answered.status, 303, 'the sign-in completed: argon2 ran and a session was made');
    assert.equal(answered.location, '/');
    assert.equal(answered.connection, 'close', 'the client is told not to send more on this connection');
    const exit = await server.exited;
    agent.destroy();
    assert.deepEqual(exit, { code: 0, signal: null }, server.stderr);
    assert.match(server.stdout, /"msg":"stopped cleanly"/);
    assert.ok(!fs.existsSync(path.join(dataDir, 'hearth.lock')), 'the embedded database was closed and unlocked');
  });

  it('logged JSON lines with a request id, and never the name someone searched for', () => {
    const lines = server.logLines();
    const requests = lines.filter((line) => line.req !== undefined || line.res !== undefined);
    assert.ok(requests.length >= 8, 'requests were logged');
    for (const line of requests) {
      assert.match(String(line.reqId), /^[0-9a-f-]{36}$/, JSON.stringify(line));
    }
    const searches = requests.filter((line) => (line.req as { path?: string } | undefined)?.path === '/people');
    assert.equal(searches.length, 2, 'both searches were logged, by path');
    assert.ok(!(server.stdout + server.stderr).includes(SEARCHED_NAME), 'the searched name is not in the log');
  });
});

describe('the server with a bad configuration value', () => {
  it('exits non-zero with a readable message naming the setting, and no stack trace', async () => {
    const server = new ServerProcess({ PORT: 'abc', HEARTH_DATA_DIR: path.join(os.tmpdir(), 'hearth-never-created') });
    const exit = await server.exited;
    assert.notEqual(exit.code, 0);
    assert.equal(exit.code, 1);
    assert.match(server.stderr, /Hearth cannot start because its configuration is not valid/);
    assert.match(server.stderr, /PORT: .*\(got "abc"\)/);
    assert.doesNotMatch(server.stderr, /\n\s+at |\.ts:\d+/, 'no stack trace');
    assert.equal(server.stdout, '');
    assert.ok(!fs.existsSync(path.join(os.tmpdir(), 'hearth-never-created')), 'nothing was created');
  });
});
