import path from 'node:path';
import { z } from 'zod';
import { isTimeZone } from './platform/time.ts';
import { PACK_IDS, type PackId } from './practice/pack.ts';

const roleNames = [
  'helpline_worker',
  'caseworker',
  'team_manager',
  'partner_agency',
  'administrator',
  'auditor',
] as const;

/**
 * A whole number written in digits. Stricter than z.coerce.number(), which reads an empty value as 0
 * (PORT= would listen on a random port) and accepts forms such as 0x50 or 1e3.
 */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d{1,15}$/.test(v), `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be ${min} or more`).max(max, `must be ${max} or less`));

const minutes = (fallback: number) => wholeNumber(1, 525_600, fallback);

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: wholeNumber(0, 65_535, 3000),
  HEARTH_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HEARTH_TRUST_PROXY: booleanFlag(false),
  HEARTH_SEED_DEMO: booleanFlag(true),
  HEARTH_MFA_REQUIRED_ROLES: z
    .string()
    .default('administrator')
    .transform((value) => value.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(roleNames, { error: `must be a comma-separated list of roles from: ${roleNames.join(', ')}` }))),
  HEARTH_SESSION_IDLE_MINUTES: minutes(30),
  HEARTH_SESSION_ABSOLUTE_MINUTES: minutes(12 * 60),
  HEARTH_LOCKOUT_THRESHOLD: wholeNumber(1, 100, 5),
  HEARTH_LOCKOUT_MINUTES: minutes(15),
  HEARTH_SIGN_IN_RATE_LIMIT: wholeNumber(1, 100_000, 20),
  HEARTH_STATEMENT_TIMEOUT_MS: wholeNumber(100, 600_000, 10_000),
  HEARTH_BODY_LIMIT_BYTES: wholeNumber(1024, 50_000_000, 1_000_000),
  HEARTH_PRACTICE_PACK: z.enum(PACK_IDS, { error: `must be one of the practice packs: ${PACK_IDS.join(', ')}` }).default('nsw'),
  HEARTH_FRONT_DOOR_ORGANISATION: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be an organisation slug, like demo')
    .optional(),
  HEARTH_REPORT_SAVES_PER_MINUTE: wholeNumber(1, 10_000, 60),
  HEARTH_REPORT_SENDS_PER_HOUR: wholeNumber(1, 10_000, 20),
  HEARTH_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+$/, 'must be Hearth\'s public address with no path, like https://hearth.example.gov.au')
    .optional(),
  HEARTH_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must start with smtp:// or smtps://, like smtp://user:password@mail.example:587')
    .optional(),
  HEARTH_EMAIL_FROM: z.string().min(3).max(200).default('Hearth <no-reply@hearth.invalid>'),
  HEARTH_TIME_ZONE: z
    .string()
    .default('Australia/Sydney')
    .refine(isTimeZone, 'must be an IANA time zone such as Australia/Sydney or Europe/London'),
});

export type RoleName = (typeof roleNames)[number];
export const ROLE_NAMES: readonly RoleName[] = roleNames;

export interface Config {
  readonly environment: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly database:
    | { readonly engine: 'pglite'; readonly dataDir: string }
    | { readonly engine: 'postgres'; readonly url: string };
  readonly logLevel: string;
  readonly trustProxy: boolean;
  readonly seedDemo: boolean;
  readonly auth: {
    readonly mfaRequiredRoles: readonly RoleName[];
    readonly sessionIdleMinutes: number;
    readonly sessionAbsoluteMinutes: number;
    readonly lockoutThreshold: number;
    readonly lockoutMinutes: number;
    readonly signInRateLimitPerMinute: number;
  };
  readonly statementTimeoutMs: number;
  readonly bodyLimitBytes: number;
  /** Dates and times are shown, and "today" is judged, in this zone. */
  readonly timeZone: string;
  /** The practice pack the front door follows: grounds, reporter's guide, priorities, calendar. */
  readonly practicePack: PackId;
  /** Emails wait in the outbox; they are sent only when an SMTP server is configured. */
  readonly email: { readonly smtpUrl: string | undefined; readonly from: string };
  /** Hearth's public address, for links in emails (never taken from a request's Host header). */
  readonly publicUrl: string | undefined;
  readonly frontDoor: {
    /** The organisation that receives online reports; without one, the oldest organisation. */
    readonly organisationSlug: string | undefined;
    /** Flood protection for the public report form, per client address. */
    readonly savesPerMinute: number;
    readonly sendsPerHour: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Hearth cannot start because its configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; the result is frozen. Throws a ConfigError naming every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        // The variable's name alone: an issue inside a list (a bad role) has a longer path.
        const name = issue.path.length > 0 ? String(issue.path[0]) : '';
        // Never echo a connection string: it may hold a password.
        const raw = name && !name.endsWith('_URL') ? env[name] : undefined;
        return `${name}: ${issue.message}${raw === undefined ? '' : ` (got "${truncate(raw)}")`}`;
      }),
    );
  }
  const e = parsed.data;
  return deepFreeze({
    environment: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database: e.DATABASE_URL
      ? { engine: 'postgres' as const, url: e.DATABASE_URL }
      : { engine: 'pglite' as const, dataDir: path.resolve(e.HEARTH_DATA_DIR) },
    logLevel: e.LOG_LEVEL,
    trustProxy: e.HEARTH_TRUST_PROXY,
    seedDemo: e.HEARTH_SEED_DEMO,
    auth: {
      mfaRequiredRoles: e.HEARTH_MFA_REQUIRED_ROLES,
      sessionIdleMinutes: e.HEARTH_SESSION_IDLE_MINUTES,
      sessionAbsoluteMinutes: e.HEARTH_SESSION_ABSOLUTE_MINUTES,
      lockoutThreshold: e.HEARTH_LOCKOUT_THRESHOLD,
      lockoutMinutes: e.HEARTH_LOCKOUT_MINUTES,
      signInRateLimitPerMinute: e.HEARTH_SIGN_IN_RATE_LIMIT,
    },
    statementTimeoutMs: e.HEARTH_STATEMENT_TIMEOUT_MS,
    bodyLimitBytes: e.HEARTH_BODY_LIMIT_BYTES,
    timeZone: e.HEARTH_TIME_ZONE,
    practicePack: e.HEARTH_PRACTICE_PACK,
    email: { smtpUrl: e.HEARTH_SMTP_URL, from: e.HEARTH_EMAIL_FROM },
    publicUrl: e.HEARTH_PUBLIC_URL,
    frontDoor: {
      organisationSlug: e.HEARTH_FRONT_DOOR_ORGANISATION,
      savesPerMinute: e.HEARTH_REPORT_SAVES_PER_MINUTE,
      sendsPerHour: e.HEARTH_REPORT_SENDS_PER_HOUR,
    },
  });
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
