import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { createApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { HearthDatabase } from '../../src/db/connect.ts';
import { fixedClock, systemClock, type Clock } from '../../src/platform/clock.ts';
import type { TestEngine } from './engines.ts';
import { nextTotpCode, type TestStaff } from './factories.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly database: HearthDatabase;
  readonly config: Config;
  close(): Promise<void>;
}

/** The real application over a fresh test database, driven in-process with inject (no port). */
export async function startTestApp(
  engine: TestEngine,
  options: { env?: Record<string, string>; clock?: Clock; database?: HearthDatabase } = {},
): Promise<TestApp> {
  const database = options.database ?? (await engine.createDatabase());
  const config = loadConfig({ NODE_ENV: 'test', HEARTH_SIGN_IN_RATE_LIMIT: '10000', ...options.env });
  const app = await createApp({
    config,
    database,
    clock: options.clock ?? systemClock,
    logger: pino({ level: 'silent' }),
    cookieSecret: 'test-cookie-secret-test-cookie-secret',
    demo: false,
  });
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      if (!options.database) await database.close();
    },
  };
}

export { fixedClock };

/**
 * A user agent for inject: keeps cookies like a browser, and fills in the CSRF token a page gave it.
 */
export class TestClient {
  private readonly cookies = new Map<string, string>();
  private csrf: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await this.app.inject({
      ...options,
      headers: { ...(cookie ? { cookie } : {}), ...(options.headers ?? {}) },
    });
    for (const c of response.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (token?.[1]) this.csrf = token[1];
    return response;
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.request({ method: 'GET', url });
  }

  /** Posts a form as a browser would, with the CSRF token of the last page (fetching one if needed). */
  async post(url: string, fields: Record<string, string | string[]>, options: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    if (options.csrf !== false && !this.csrf) await this.get(this.cookies.has('hearth_session') ? '/account' : '/sign-in');
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    if (options.csrf !== false && this.csrf) body.append('_csrf', this.csrf);
    return this.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  /** Signs in fully, giving a TOTP code when the account has a second factor. */
  async signIn(staff: TestStaff): Promise<void> {
    const response = await this.post('/sign-in', { email: staff.email, password: staff.password });
    if (response.statusCode !== 303) throw new Error(`sign-in failed: ${response.statusCode}`);
    if (response.headers.location?.startsWith('/sign-in/code')) {
      if (!staff.mfaSecret) throw new Error('the account asks for a code but has no secret');
      const code = await this.post('/sign-in/code', { code: await nextTotpCode(staff.mfaSecret) });
      if (code.statusCode !== 303) throw new Error(`code refused: ${code.statusCode}`);
    } else if (response.headers.location?.startsWith('/sign-in/set-up-code')) {
      throw new Error('the account must set up MFA first');
    }
  }
}

/** The text of a page without tags, for asserting what a user reads. */
export function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
