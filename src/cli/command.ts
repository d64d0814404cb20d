import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { HearthDatabase } from '../db/connect.ts';
import type { AuditWho } from '../platform/audit/audit-log.ts';

export class UsageError extends Error {}

export type Output = (line: string) => void;

export interface CommandContext {
  readonly database: HearthDatabase;
  readonly args: readonly string[];
  readonly out: Output;
  /** For progress and warnings: standard error, so that standard output stays machine-readable. */
  readonly err: Output;
  readonly config: Config;
  /** Redraws a progress line on a terminal; does nothing when standard error is not one. */
  readonly progress: (line: string) => void;
}

export type Command = (context: CommandContext) => Promise<number>;

type Spec = Record<string, { type: 'string' } | { type: 'boolean' }>;
type Values<T extends Spec> = { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string };

/** A command's options (and positional arguments); a wrong one is a usage error, shown with the usage text. */
export function options<T extends Spec>(args: readonly string[], spec: T, positionals = 0): { values: Values<T>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...args], options: spec, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) throw new Error(`Unexpected argument: ${parsed.positionals[positionals]}`);
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

export function wholeNumberOption(value: string | undefined, name: string, fallback: number, max = 100_000_000): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1 || Number(value) > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
  return Number(value);
}

export const DEFAULT_ORGANISATION = 'default';

/**
 * The organisation a command acts in: the one --organisation names (which must exist), or the
 * default organisation, created if missing.
 */
export async function organisationFor(database: HearthDatabase, slug: string | undefined): Promise<{ id: string; slug: string }> {
  const wanted = slug ?? DEFAULT_ORGANISATION;
  const found = await database.db.selectFrom('organisations').select(['id', 'slug']).where('slug', '=', wanted).executeTakeFirst();
  if (found) return found;
  if (slug !== undefined) throw new UsageError(`No organisation with slug ${slug}: create it with "hearth organisation create"`);
  await database.db
    .insertInto('organisations')
    .values({ slug: DEFAULT_ORGANISATION, name: 'Default organisation' })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  return database.db.selectFrom('organisations').select(['id', 'slug']).where('slug', '=', DEFAULT_ORGANISATION).executeTakeFirstOrThrow();
}

/** Who the audit trail says did it: the command line, as the system, with a request id for this run. */
export function commandLineWho(organisationId: string): AuditWho {
  return { organisationId, requestId: `cli-${randomUUID()}`, userId: null, role: 'system' };
}
