import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { HearthDatabase } from '../../src/db/connect.ts';
import { asSystem } from '../../src/db/tenancy.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { MAX_ATTEMPTS, OutboxSender, smtpTransport, type EmailTransport } from '../../src/platform/email/outbox-sender.ts';
import { testEngines } from '../support/engines.ts';
import { createOrganisation } from '../support/factories.ts';

const quiet = { warn: () => undefined, info: () => undefined };

/** A real SMTP server on a free port, keeping what it is sent. */
async function startSmtp(): Promise<{ url: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let message = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (message += chunk));
      stream.on('end', () => {
        received.push(message);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

for (const engine of testEngines()) {
  describe(`the outbox [${engine.name}]`, () => {
    let database: HearthDatabase;
    let organisationId: string;
    const clock = fixedClock('2026-11-27T01:00:00Z');

    before(async () => {
      database = await engine.createDatabase();
      organisationId = await createOrganisation(database);
    });
    after(() => database.close());

    const queue = (to: string, subject: string) =>
      asSystem(database.db, (trx) =>
        trx
          .insertInto('outbox_emails')
          .values({ organisation_id: organisationId, to_address: to, subject, body: `Body of ${subject}`, created_at: clock.now(), next_attempt_at: clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
    const row = (id: string) => asSystem(database.db, (trx) => trx.selectFrom('outbox_emails').selectAll().where('id', '=', id).executeTakeFirstOrThrow());

    it('sends each waiting email once over SMTP and marks it sent', async () => {
      const smtp = await startSmtp();
      try {
        const a = await queue('reporter.one@school.example', 'Your report ACDE-FGHJ has been received');
        const b = await queue('reporter.two@clinic.example', 'An update on your report KMNP-QRTU');
        const sender = new OutboxSender(database.db, clock, smtpTransport(smtp.url, 'Hearth <no-reply@hearth.invalid>'), quiet);
        assert.deepEqual(await sender.sendDue(), { sent: 2, failed: 0 });
        assert.equal(smtp.received.length, 2);
        assert.ok(smtp.received.some((m) => m.includes('Subject: Your report ACDE-FGHJ has been received') && m.includes('To: reporter.one@school.example')));
        assert.ok((await row(a.id)).sent_at);
        assert.equal((await row(a.id)).body, '', 'a sent email is not kept: it may hold a private link');
        assert.ok((await row(b.id)).sent_at);
        assert.deepEqual(await sender.sendDue(), { sent: 0, failed: 0 }, 'nothing is sent twice');
      } finally {
        await smtp.close();
      }
    });

    it('keeps an email that failed, tries it again later with a growing wait, and gives up after the last attempt', async () => {
      let calls = 0;
      const failing: EmailTransport = {
        send: () => {
          calls += 1;
          return Promise.reject(new Error('connection refused'));
        },
      };
      const email = await queue('someone@agency.example', 'Will fail');
      const sender = new OutboxSender(database.db, clock, failing, quiet);
      assert.deepEqual(await sender.sendDue(), { sent: 0, failed: 1 });
      const first = await row(email.id);
      assert.equal(first.attempts, 1);
      assert.equal(first.last_error, 'connection refused');
      assert.equal(first.next_attempt_at.getTime() - clock.now().getTime(), 60_000);
      assert.deepEqual(await sender.sendDue(), { sent: 0, failed: 0 }, 'not before its time');
      for (let attempt = 2; attempt <= MAX_ATTEMPTS + 3; attempt += 1) {
        clock.advanceMinutes(61);
        await sender.sendDue();
      }
      assert.equal(calls, MAX_ATTEMPTS);
      const last = await row(email.id);
      assert.equal(last.attempts, MAX_ATTEMPTS);
      assert.equal(last.sent_at, null, 'kept, unsent, for someone to look at');
    });

    it('lets two senders share the outbox without sending an email twice', async () => {
      const sentTo: string[] = [];
      const slow: EmailTransport = {
        send: async (e) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          sentTo.push(e.to);
        },
      };
      for (let i = 0; i < 6; i += 1) await queue(`person${i}@example.org`, `Email ${i}`);
      const one = new OutboxSender(database.db, clock, slow, quiet);
      const two = new OutboxSender(database.db, clock, slow, quiet);
      const [a, b] = await Promise.all([one.sendDue(3), two.sendDue(3)]);
      await one.sendDue();
      assert.equal(a.sent + b.sent <= 6, true);
      assert.deepEqual([...sentTo].sort(), [...new Set(sentTo)].sort(), 'no address twice');
      assert.equal(sentTo.filter((t) => t.startsWith('person')).length, 6);
    });
  });
}
