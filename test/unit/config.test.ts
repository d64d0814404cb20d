import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

/** The ConfigError that loading `env` throws (failing the test if it loads). */
function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig', () => {
  it('starts with sensible defaults from an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '0.0.0.0');
    assert.deepEqual(config.database, { engine: 'pglite', dataDir: path.resolve('./data') });
    assert.equal(config.trustProxy, false);
    assert.equal(config.timeZone, 'Australia/Sydney');
    assert.deepEqual(config.auth, {
      mfaRequiredRoles: ['administrator'],
      sessionIdleMinutes: 30,
      sessionAbsoluteMinutes: 720,
      lockoutThreshold: 5,
      lockoutMinutes: 15,
      signInRateLimitPerMinute: 20,
    });
  });

  it('reads each setting it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      HEARTH_TIME_ZONE: 'Europe/London',
      HEARTH_TRUST_PROXY: 'yes',
      HEARTH_MFA_REQUIRED_ROLES: 'administrator, caseworker',
      HEARTH_SESSION_IDLE_MINUTES: '10',
      DATABASE_URL: 'postgres://hearth:pw@db.example:5432/hearth',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.timeZone, 'Europe/London');
    assert.equal(config.trustProxy, true);
    assert.deepEqual(config.auth.mfaRequiredRoles, ['administrator', 'caseworker']);
    assert.equal(config.auth.sessionIdleMinutes, 10);
    assert.deepEqual(config.database, { engine: 'postgres', url: 'postgres://hearth:pw@db.example:5432/hearth' });
  });

  for (const port of ['abc', '70000', '-1', '3.5', '', ' ', '0x50', '1e3']) {
    it(`refuses PORT=${JSON.stringify(port)} with a ConfigError naming PORT`, () => {
      const error = configErrorFor({ PORT: port });
      assert.deepEqual(
        error.problems.map((p) => p.split(':')[0]),
        ['PORT'],
      );
      assert.match(error.message, /^Hearth cannot start because its configuration is not valid:\n {2}- PORT: /);
    });
  }

  it('refuses a time zone that does not exist, naming HEARTH_TIME_ZONE and the value', () => {
    const error = configErrorFor({ HEARTH_TIME_ZONE: 'Mars/Olympus_Mons' });
    assert.match(error.message, /HEARTH_TIME_ZONE: must be an IANA time zone such as Australia\/Sydney/);
    assert.match(error.message, /\(got "Mars\/Olympus_Mons"\)/);
  });

  it('names every bad setting at once', () => {
    const error = configErrorFor({ PORT: 'abc', HEARTH_TIME_ZONE: 'Nowhere', HEARTH_MFA_REQUIRED_ROLES: 'administrator,wizard', HEARTH_TRUST_PROXY: 'maybe' });
    const names = error.problems.map((p) => p.split(':')[0]).sort();
    assert.deepEqual(names, ['HEARTH_MFA_REQUIRED_ROLES', 'HEARTH_TIME_ZONE', 'HEARTH_TRUST_PROXY', 'PORT']);
  });

  it('names HEARTH_MFA_REQUIRED_ROLES itself when one of its roles is unknown, and lists the roles it knows', () => {
    const error = configErrorFor({ HEARTH_MFA_REQUIRED_ROLES: 'administrator,wizard' });
    assert.equal(error.problems.length, 1);
    assert.match(error.problems[0]!, /^HEARTH_MFA_REQUIRED_ROLES: must be a comma-separated list of roles from: helpline_worker, caseworker, /);
    assert.match(error.problems[0]!, /\(got "administrator,wizard"\)$/);
  });

  it('refuses an empty or odd number in any numeric setting rather than reading it as 0', () => {
    for (const name of ['HEARTH_SESSION_IDLE_MINUTES', 'HEARTH_LOCKOUT_THRESHOLD', 'HEARTH_SIGN_IN_RATE_LIMIT', 'HEARTH_BODY_LIMIT_BYTES']) {
      for (const value of ['', '0x10', '12abc']) {
        assert.deepEqual(configErrorFor({ [name]: value }).problems.map((p) => p.split(':')[0]), [name], `${name}=${value}`);
      }
    }
  });

  it('never shows a DATABASE_URL in its message: it may hold a password', () => {
    const secret = 'S3cr3t-Pa55word';
    const url = `mysql://hearth:${secret}@db.example/hearth`;
    const error = configErrorFor({ DATABASE_URL: url, PORT: 'abc' });
    assert.match(error.message, /DATABASE_URL: must start with postgres:\/\/ or postgresql:\/\//);
    assert.match(error.message, /PORT/);
    assert.ok(!error.message.includes(secret), 'the password is not shown');
    assert.ok(!error.message.includes('db.example'), 'nor any of the address');
    assert.ok(!error.problems.join('\n').includes(secret));
    assert.ok(!String(error.stack).includes(secret));
  });

  it('does not show a good DATABASE_URL when something else is wrong', () => {
    const error = configErrorFor({ DATABASE_URL: 'postgres://hearth:S3cr3t@db.example/hearth', HEARTH_TIME_ZONE: 'Nowhere' });
    assert.ok(!error.message.includes('S3cr3t'));
    assert.ok(!error.message.includes('db.example'));
  });

  it('returns a frozen configuration, all the way down', () => {
    const config = loadConfig({});
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.auth));
    assert.ok(Object.isFrozen(config.auth.mfaRequiredRoles));
    assert.ok(Object.isFrozen(config.database));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
    assert.throws(() => {
      (config.auth.mfaRequiredRoles as string[]).push('caseworker');
    }, TypeError);
    assert.equal(config.port, 3000);
  });
});
