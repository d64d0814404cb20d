import { ConfigError, loadConfig, ROLE_NAMES, type Config, type RoleName } from '../config.ts';
import type { HearthDatabase } from '../db/connect.ts';
import { openConfiguredDatabase } from '../db/open-configured.ts';
import { asSystem } from '../db/tenancy.ts';
import { DemoRefusedError, seedDemoIfEmpty } from '../demo/seed-demo.ts';
import { createApiToken } from '../platform/auth/api-tokens.ts';
import { passwordProblem } from '../platform/auth/passwords.ts';
import { createUser, findUserByEmail } from '../platform/auth/users.ts';
import { verifyAuditTrail } from '../platform/audit/verify-audit-trail.ts';
import { randomBytes } from 'node:crypto';
import { options, required, UsageError, type Command, type CommandContext, type Output } from './command.ts';
import { PEOPLE_COMMANDS, PEOPLE_USAGE } from './people-commands.ts';
import { CALENDAR_COMMANDS, CALENDAR_USAGE } from './calendar-commands.ts';

const USAGE = `Usage: hearth <command> [options]

Commands:
  migrate                                   bring the database to the newest schema
  seed-demo                                 add the demo organisations (refused in production)
  organisation create --slug S --name N     add an organisation
  user create --email E --name N --role R [--organisation S] [--password P]
                                            add a staff account (a password is generated if none is given)
  token create --user EMAIL [--label L]     print a new API bearer token for that account
  audit verify                              check every organisation's audit chain; exit 1 at the first bad row
${PEOPLE_USAGE}
${CALENDAR_USAGE}

The database is the one HEARTH_DATA_DIR (embedded, default ./data) or DATABASE_URL (PostgreSQL) names.
Roles: ${ROLE_NAMES.join(', ')}
`;

export { UsageError };

/** Runs one command; returns the exit code. */
export async function runCli(argv: readonly string[], out: Output = (l) => process.stdout.write(`${l}\n`), err: Output = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  const [command, subcommand] = argv;
  if (!command || command === 'help' || command === '--help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  const standalone = CALENDAR_COMMANDS[`${command} ${subcommand ?? ''}`];
  if (standalone) {
    try {
      return standalone(argv.slice(2), out);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 2;
    }
    throw error;
  }
  let database: HearthDatabase | undefined;
  try {
    const pair = `${command} ${subcommand ?? ''}`.trim();
    const handler = COMMANDS[pair] ?? COMMANDS[command];
    if (!handler) throw new UsageError(`Unknown command: ${argv.join(' ')}`);
    const args = argv.slice(COMMANDS[pair] ? 2 : 1);
    database = await openConfiguredDatabase(config);
    const terminal = process.stderr.isTTY;
    const progress = (line: string) => {
      if (terminal) process.stderr.write(`\r\x1b[2K${line}`);
    };
    return await handler({ database, args, out, err, config, progress });
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof DemoRefusedError) {
      err(error.message);
      return 1;
    }
    err(`hearth ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await database?.close();
  }
}

const COMMANDS: Record<string, Command> = {
  async migrate({ database, out }) {
    out(`Database (${database.engine}) is at the newest schema.`);
    return 0;
  },

  async 'seed-demo'({ database, out }) {
    const seeded = await seedDemoIfEmpty(database.db);
    out(seeded ? 'Seeded the demo organisations. Demo users are listed in the README.' : 'The database already holds organisations: nothing seeded.');
    return 0;
  },

  async 'organisation create'({ database, args, out }) {
    const o = options(args, { slug: { type: 'string' }, name: { type: 'string' } }).values;
    const slug = required(o.slug, 'slug');
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) throw new UsageError('--slug must be lower-case letters, digits and hyphens');
    await database.db.insertInto('organisations').values({ slug, name: required(o.name, 'name') }).execute();
    out(`Organisation ${slug} created.`);
    return 0;
  },

  async 'user create'({ database, args, out }) {
    const { values: o } = options(args, {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      organisation: { type: 'string' },
      password: { type: 'string' },
    });
    const role = required(o.role, 'role');
    if (!ROLE_NAMES.includes(role as RoleName)) throw new UsageError(`--role must be one of ${ROLE_NAMES.join(', ')}`);
    const email = required(o.email, 'email');
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError('--email must be an email address');
    const password = o.password ?? randomBytes(15).toString('base64url');
    const problem = passwordProblem(password);
    if (problem) throw new UsageError(problem);
    const slug = o.organisation ?? 'demo';
    const organisation = await database.db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirst();
    if (!organisation) throw new UsageError(`No organisation with slug ${slug}: create it with "hearth organisation create"`);
    if (await findUserByEmail(database.db, email)) throw new UsageError(`A user with email ${email} already exists`);
    await asSystem(database.db, (trx) =>
      createUser(trx, { organisationId: organisation.id, email, displayName: required(o.name, 'name'), role: role as RoleName, password }),
    );
    out(`User ${email} created as ${role} in ${slug}.${o.password ? '' : ` Password: ${password}`}`);
    return 0;
  },

  async 'token create'({ database, args, out }) {
    const o = options(args, { user: { type: 'string' }, label: { type: 'string' } }).values;
    const email = required(o.user, 'user');
    const user = await findUserByEmail(database.db, email);
    if (!user) throw new UsageError(`No user with email ${email}`);
    out(await createApiToken(database.db, user.id, o.label ?? 'created on the command line'));
    return 0;
  },

  async 'audit verify'({ database, out }) {
    const result = await verifyAuditTrail(database.db);
    for (const org of result.organisations) {
      out(org.problem ? `${org.organisationSlug}: BROKEN after ${org.rowsChecked} good rows: ${org.problem}` : `${org.organisationSlug}: intact (${org.rowsChecked} rows)`);
    }
    out(result.intact ? 'Audit trail intact.' : 'Audit trail BROKEN: see above for the first bad row.');
    return result.intact ? 0 : 1;
  },

  ...PEOPLE_COMMANDS,
};

export type { Command, CommandContext };
