import path from 'node:path';
import { z } from 'zod';

const roleNames = [
  'helpline_worker',
  'caseworker',
  'team_manager',
  'partner_agency',
  'administrator',
  'auditor',
] as const;

const minutes = (fallback: number) => z.coerce.number().int().min(1).max(525_600).default(fallback);

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
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
    .pipe(z.array(z.enum(roleNames))),
  HEARTH_SESSION_IDLE_MINUTES: minutes(30),
  HEARTH_SESSION_ABSOLUTE_MINUTES: minutes(12 * 60),
  HEARTH_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  HEARTH_LOCKOUT_MINUTES: minutes(15),
  HEARTH_SIGN_IN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  HEARTH_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HEARTH_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_000_000),
  HEARTH_TIME_ZONE: z
    .string()
    .default('Australia/Sydney')
    .refine(isTimeZone, 'must be an IANA time zone such as Australia/Sydney or Europe/London'),
});

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-AU', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

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
        const name = issue.path.join('.');
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
