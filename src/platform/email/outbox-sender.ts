import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.ts';
import { asSystem } from '../../db/tenancy.ts';
import type { Clock } from '../clock.ts';

/** Whatever carries an email away: SMTP in service, anything else in a test. */
export interface EmailTransport {
  send(email: { readonly to: string; readonly subject: string; readonly text: string }): Promise<void>;
}

/** SMTP through nodemailer: `smtp://user:password@host:587` or `smtps://...`. */
export function smtpTransport(url: string, from: string): EmailTransport {
  const transport = nodemailer.createTransport(url);
  return {
    async send(email) {
      await transport.sendMail({ from, to: email.to, subject: email.subject, text: email.text });
    },
  };
}

/** After this many failures an email stays in the outbox, unsent, with its last error, for someone to look at. */
export const MAX_ATTEMPTS = 10;
const CLAIM_MINUTES = 5;

/**
 * Sends what the outbox holds. Emails are written to `outbox_emails` in the same transaction as the
 * change they tell of, so none is sent for a change that rolled back and none is lost for one that
 * committed. The sender claims a batch in one short transaction, sends outside any transaction (an
 * SMTP server must never hold the database), then marks each email sent, or due again later with its
 * error (1, 2, 4 ... minutes, up to an hour). Several app processes can run it: claims do not overlap.
 */
export class OutboxSender {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly transport: EmailTransport,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
  ) {}

  async sendDue(limit = 20): Promise<{ sent: number; failed: number }> {
    const now = this.clock.now();
    const claimed = await asSystem(this.db, async (trx) => {
      const due = await sql<{ id: string; to_address: string; subject: string; body: string; attempts: number }>`
        select id, to_address, subject, body, attempts from outbox_emails
        where sent_at is null and attempts < ${MAX_ATTEMPTS} and next_attempt_at <= ${now}
          and (claimed_until is null or claimed_until < ${now})
        order by next_attempt_at
        limit ${limit}
        for update skip locked`.execute(trx);
      if (due.rows.length > 0) {
        await trx
          .updateTable('outbox_emails')
          .set({ claimed_until: new Date(now.getTime() + CLAIM_MINUTES * 60_000) })
          .where('id', 'in', due.rows.map((r) => r.id))
          .execute();
      }
      return due.rows;
    });
    let sent = 0;
    let failed = 0;
    for (const email of claimed) {
      try {
        await this.transport.send({ to: email.to_address, subject: email.subject, text: email.body });
        // Sent: the body is not kept (it may hold a private link); the subject says what it was.
        await asSystem(this.db, (trx) =>
          trx.updateTable('outbox_emails').set({ sent_at: this.clock.now(), body: '', claimed_until: null, attempts: email.attempts + 1, last_error: null }).where('id', '=', email.id).execute(),
        );
        sent += 1;
      } catch (error) {
        failed += 1;
        const attempts = email.attempts + 1;
        const waitMinutes = Math.min(2 ** (attempts - 1), 60);
        // The error's message only: never the address or the body, which are personal data.
        const message = error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
        await asSystem(this.db, (trx) =>
          trx
            .updateTable('outbox_emails')
            .set({ attempts, last_error: message, claimed_until: null, next_attempt_at: new Date(this.clock.now().getTime() + waitMinutes * 60_000) })
            .where('id', '=', email.id)
            .execute(),
        );
        this.logger.warn({ emailId: email.id, attempts, err: { message } }, 'an email could not be sent; it will be tried again');
      }
    }
    return { sent, failed };
  }

  /** Sends every `intervalMs` until stopped; one round at a time. */
  start(intervalMs: number): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.sendDue()
        .catch((error: unknown) => this.logger.warn({ err: { message: error instanceof Error ? error.message : 'unknown error' } }, 'the outbox round failed'))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
