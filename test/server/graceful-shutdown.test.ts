import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../src/demo/demo-data.ts';
import { projectRoot } from '../../src/platform/views/assets.ts';

const SEARCHED_NAME = 'Zebedee';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The server as an operator starts it, its output collected line by line. */
class ServerProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  constructor(env: Record<string, string>) {
    const base: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS', 'PORT', 'HEARTH_DATA_DIR']) delete base[name];
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: projectRoot,
      env: { ...base, NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', HEARTH_SEED_DEMO: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        for (const waiter of [...this.waiters]) {
          if (waiter.test(line)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
      }
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first log line from now on that passes `test`. */
  nextLine(test: (line: string) => boolean): Promise<string> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  logLines(): Record<string, unknown>[] {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

async function waitUntilHealthy(baseUrl: string, server: ServerProcess): Promise<void> {
  for (;;) {
    const state = await Promise.race([server.exited.then(() => 'exited' as const), new Promise((r) => setTimeout(r, 250)).then(() => 'waited' as const)]);
    if (state === 'exited') throw new Error(`the server exited while starting:\n${server.stderr}\n${server.stdout}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
  }
}

/** A browser's cookie jar, enough for the sign-in form. */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly baseUrl: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(pathname: string, init: RequestInit = {}): Promise<{ status: number; location: string | null; body: string }> {
    const response = await fetch(this.baseUrl + pathname, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string> | undefined), cookie: this.cookieHeader },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return { status: response.status, location: response.headers.get('location'), body: await response.text() };
  }

  /** The sign-in form's fields, with its CSRF token. */
  async signInForm(): Promise<URLSearchParams> {
    const page = await this.request('/sign-in');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(token, 'the sign-in page carries a CSRF token');
    return new URLSearchParams({ email: 'caseworker@demo.hearth.example', password: DEMO_PASSWORD, _csrf: token });
  }
}

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
