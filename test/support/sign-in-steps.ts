import type { LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import type { HearthDatabase } from '../../src/db/connect.ts';
import { SESSION_COOKIE } from '../../src/platform/http/route-access.ts';

/**
 * Small steps shared by the sign-in, session and access tests: reading what a page or response gave
 * the browser, making TOTP codes for a chosen time step, and reading the audit trail as the owner.
 */

const TOTP_STEP_SECONDS = 30;

/** The TOTP time step the server's clock is in now (codes are checked against real time). */
export function currentTimeStep(): number {
  return Math.floor(Date.now() / 1000 / TOTP_STEP_SECONDS);
}

export function totpCodeAt(secret: string, timeStep: number): Promise<string> {
  return generate({ secret: secret.replace(/\s+/g, ''), epoch: timeStep * TOTP_STEP_SECONDS });
}

/** A well-formed code that no time step near now accepts, so "wrong code" never passes by luck. */
export async function wrongTotpCode(secret: string): Promise<string> {
  const now = currentTimeStep();
  const valid = new Set(await Promise.all([-2, -1, 0, 1, 2].map((offset) => totpCodeAt(secret, now + offset))));
  for (let n = 0; ; n += 1) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** The key shown on a set-up page (#mfa-secret), as the page shows it: groups of four with spaces. */
export function mfaSecretOnPage(html: string): string {
  const match = /id="mfa-secret">([^<]*)</.exec(html);
  if (!match?.[1]) throw new Error('the page shows no #mfa-secret');
  return match[1].trim();
}

/** The session token a response set, if any. */
export function sessionCookieOf(response: LightMyRequestResponse): string | undefined {
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  return cookie && cookie.value !== '' ? cookie.value : undefined;
}

/** True when the response tells the browser to drop its session cookie. */
export function clearsSessionCookie(response: LightMyRequestResponse): boolean {
  return response.cookies.some(
    (c) => c.name === SESSION_COOKIE && (c.value === '' || (c.expires !== undefined && c.expires.getTime() < Date.now())),
  );
}

export interface AuditRow {
  readonly action: string;
  readonly details: unknown;
}

/** The audit rows about one user account, oldest first, read as the database owner. */
export async function auditRowsAboutUser(database: HearthDatabase, userId: string): Promise<AuditRow[]> {
  return database.db
    .selectFrom('audit_events')
    .select(['action', 'details'])
    .where('record_type', '=', 'user')
    .where('record_id', '=', userId)
    .orderBy('seq')
    .execute();
}

export async function auditActionsAboutUser(database: HearthDatabase, userId: string): Promise<string[]> {
  return (await auditRowsAboutUser(database, userId)).map((row) => row.action);
}

export async function sessionRowsOf(database: HearthDatabase, userId: string) {
  return database.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();
}

/** A request with exactly this session cookie and nothing else, as an attacker replaying it would send. */
export function withSessionCookie(token: string): { cookie: string } {
  return { cookie: `${SESSION_COOKIE}=${token}` };
}
