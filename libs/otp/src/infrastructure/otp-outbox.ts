import Database from 'better-sqlite3';
import type { OtpDeliveryRequested } from '../domain/otp-delivery.events';
import type { OtpCodeCipher } from './otp-code-cipher';

/** An OTP waiting for delivery (or, in the dev inbox, for its reader): the facts and the sealed code. */
export interface OutboxEntry {
  /** The `OtpDeliveryRequested` data: the worker re-records it if the process died before it was. */
  readonly delivery: OtpDeliveryRequested['data'];
  readonly correlationId: string;
  readonly expiresAtMs: number;
  /** Webhook calls started so far (counted before each call, so a crash mid-call still counts). */
  readonly attempts: number;
  readonly nextAttemptAtMs: number;
  /** Dev inbox only: the delivery is recorded; the code stays readable until it expires. */
  readonly inInbox: boolean;
}

/** A code as the dev inbox shows it. */
export interface InboxEntry {
  readonly delivery: OtpDeliveryRequested['data'];
  readonly otp: string;
}

interface Row {
  delivery_id: string;
  delivery: string;
  correlation_id: string;
  sealed_code: Buffer;
  expires_at_ms: number;
  attempts: number;
  next_attempt_at_ms: number;
  in_inbox: number;
}

/**
 * The OTP outbox: a SQLite table under DATA_DIR (`otp-outbox.sqlite`), the only place a code
 * exists between the notifier's 204 and its delivery, encrypted (`OtpCodeCipher`). A row is
 * deleted once its outcome is recorded (delivered, failed, expired; dev inbox: at expiry).
 * `synchronous = FULL`: the 204 promises delivery, so the row must survive a power cut;
 * `secure_delete`: a deleted row's bytes are overwritten, not left in free pages.
 */
export class OtpOutbox {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(
    file: string,
    private readonly cipher: OtpCodeCipher,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS otp_outbox (
        delivery_id        TEXT PRIMARY KEY,
        delivery           TEXT NOT NULL,
        card_id            TEXT NOT NULL,
        correlation_id     TEXT NOT NULL,
        sealed_code        BLOB NOT NULL,
        expires_at_ms      INTEGER NOT NULL,
        attempts           INTEGER NOT NULL DEFAULT 0,
        next_attempt_at_ms INTEGER NOT NULL,
        in_inbox           INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS otp_outbox_due ON otp_outbox (in_inbox, next_attempt_at_ms);
      CREATE INDEX IF NOT EXISTS otp_outbox_by_card ON otp_outbox (card_id);
    `);
    const columns =
      'delivery_id, delivery, correlation_id, sealed_code, expires_at_ms, attempts, next_attempt_at_ms, in_inbox';
    this.statements = {
      // A row left by a request whose event was never appended (a crash) is replaced by the
      // retry; `RequestOtpDeliveryHandler` never gets here once the event exists.
      put: this.db.prepare<[string, string, string, string, Buffer, number, number]>(
        `INSERT INTO otp_outbox (delivery_id, delivery, card_id, correlation_id, sealed_code, expires_at_ms, next_attempt_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (delivery_id) DO UPDATE SET delivery = excluded.delivery, card_id = excluded.card_id,
           correlation_id = excluded.correlation_id, sealed_code = excluded.sealed_code,
           expires_at_ms = excluded.expires_at_ms, attempts = 0, next_attempt_at_ms = excluded.next_attempt_at_ms,
           in_inbox = 0`,
      ),
      due: this.db.prepare<[number, number, number], Row>(
        `SELECT ${columns} FROM otp_outbox
         WHERE in_inbox = 0 AND next_attempt_at_ms <= ? AND expires_at_ms > ?
         ORDER BY next_attempt_at_ms LIMIT ?`,
      ),
      expired: this.db.prepare<[number, number], Row>(
        `SELECT ${columns} FROM otp_outbox WHERE expires_at_ms <= ? ORDER BY expires_at_ms LIMIT ?`,
      ),
      nextEventAtMs: this.db.prepare<[], { at: number | null }>(
        `SELECT MIN(CASE WHEN in_inbox = 0 THEN MIN(next_attempt_at_ms, expires_at_ms) ELSE expires_at_ms END) AS at
         FROM otp_outbox`,
      ),
      attempt: this.db.prepare<[number, number, string]>(
        'UPDATE otp_outbox SET attempts = ?, next_attempt_at_ms = ? WHERE delivery_id = ?',
      ),
      inInbox: this.db.prepare<[string]>('UPDATE otp_outbox SET in_inbox = 1 WHERE delivery_id = ?'),
      remove: this.db.prepare<[string]>('DELETE FROM otp_outbox WHERE delivery_id = ?'),
      code: this.db.prepare<[string], Pick<Row, 'sealed_code'>>(
        'SELECT sealed_code FROM otp_outbox WHERE delivery_id = ?',
      ),
      inbox: this.db.prepare<[string, number], Row>(
        `SELECT ${columns} FROM otp_outbox WHERE card_id = ? AND expires_at_ms > ? ORDER BY rowid DESC`,
      ),
    };
  }

  /** Durable on return: from here on the code will be delivered or expire. */
  put(delivery: OtpDeliveryRequested['data'], code: string, correlationId: string): void {
    this.statements.put.run(
      delivery.deliveryId,
      JSON.stringify(delivery),
      delivery.cardId,
      correlationId,
      this.cipher.seal(code, delivery.deliveryId),
      Date.parse(delivery.expiresAt),
      Date.parse(delivery.requestedAt),
    );
  }

  /** Entries whose next attempt is due and which have not expired, oldest first. */
  due(nowMs: number, limit: number): OutboxEntry[] {
    return this.statements.due.all(nowMs, nowMs, limit).map(toEntry);
  }

  expired(nowMs: number, limit: number): OutboxEntry[] {
    return this.statements.expired.all(nowMs, limit).map(toEntry);
  }

  /** When something next becomes due or expires; undefined when the outbox is empty. */
  nextEventAtMs(): number | undefined {
    return this.statements.nextEventAtMs.get()?.at ?? undefined;
  }

  /** The code, for the one call that sends it. */
  codeOf(deliveryId: string): string {
    const row = this.statements.code.get(deliveryId);
    if (row === undefined) throw new Error(`OTP delivery ${deliveryId} is no longer in the outbox`);
    return this.cipher.open(row.sealed_code, deliveryId);
  }

  /** Counts an attempt before it is made; `retryAtMs` is when to try again if it never reports back. */
  recordAttempt(deliveryId: string, attempts: number, retryAtMs: number): void {
    this.statements.attempt.run(attempts, retryAtMs, deliveryId);
  }

  markInInbox(deliveryId: string): void {
    this.statements.inInbox.run(deliveryId);
  }

  remove(deliveryId: string): void {
    this.statements.remove.run(deliveryId);
  }

  /** The dev inbox: the card's codes that have not expired, newest first. */
  inbox(cardId: string, nowMs: number): InboxEntry[] {
    return this.statements.inbox.all(cardId, nowMs).map((row) => ({
      delivery: toEntry(row).delivery,
      otp: this.cipher.open(row.sealed_code, row.delivery_id),
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toEntry(row: Row): OutboxEntry {
  return {
    delivery: JSON.parse(row.delivery) as OtpDeliveryRequested['data'],
    correlationId: row.correlation_id,
    expiresAtMs: row.expires_at_ms,
    attempts: row.attempts,
    nextAttemptAtMs: row.next_attempt_at_ms,
    inInbox: row.in_inbox === 1,
  };
}
