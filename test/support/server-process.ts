import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { DEMO_PASSWORD } from '../../src/demo/demo-data.ts';
import { projectRoot } from '../../src/platform/views/assets.ts';

/** Running Hearth as an operator does, in a child process, and talking to it over HTTP. */

export function freePort(): Promise<number> {
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
export class ServerProcess {
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

export async function waitUntilHealthy(baseUrl: string, server: ServerProcess): Promise<void> {
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
export class Browser {
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

