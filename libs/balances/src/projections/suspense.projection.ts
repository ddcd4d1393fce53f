import { Injectable } from '@nestjs/common';
import { Projection, type ReadModelDb, type ReadModelProjection, type RecordedEvent } from '@app/event-store';
import { balanceIdOf } from '../application/balance-stream';
import type { ForcedRequestUnreadable } from '../application/record-unreadable-forced-request.command';
import type { ForcedRequestSuspended } from '../domain/user-balance.events';

export interface SuspenseRow {
  readonly event_id: string;
  /** Null when the request named no usable balance (unreadable). */
  readonly balance_id: string | null;
  readonly lifecycle_id: string | null;
  readonly command: string;
  readonly reason: string;
  readonly amount_minor: number | null;
  readonly currency: string | null;
  /** The request body as received: JSON, or a JSON string holding text that was not JSON. */
  readonly body: string;
  readonly recorded_at: string;
}

/** Forced requests that could not be applied, for manual reconciliation (DOMAIN.md 2). */
@Injectable()
@Projection({ name: 'suspense', handles: ['ForcedRequestSuspended', 'ForcedRequestUnreadable'] })
export class SuspenseProjection implements ReadModelProjection {
  migrate(db: ReadModelDb): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS suspense (
        event_id     TEXT PRIMARY KEY,
        balance_id   TEXT,
        lifecycle_id TEXT,
        command      TEXT NOT NULL,
        reason       TEXT NOT NULL,
        amount_minor INTEGER,
        currency     TEXT,
        body         TEXT NOT NULL,
        recorded_at  TEXT NOT NULL
      );
    `);
  }

  apply(recorded: RecordedEvent, db: ReadModelDb): void {
    const insert = db.prepare<(string | number | null)[]>(
      `INSERT INTO suspense (event_id, balance_id, lifecycle_id, command, reason, amount_minor, currency, body, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const { eventId, recordedAt } = recorded.metadata;
    const event = { type: recorded.type, data: recorded.data } as
      ForcedRequestSuspended | ForcedRequestUnreadable;
    if (event.type === 'ForcedRequestUnreadable') {
      const reason = `UNREADABLE: ${event.data.fields.join(', ')}`;
      insert.run(
        eventId,
        null,
        null,
        event.data.command,
        reason,
        null,
        null,
        JSON.stringify(event.data.body),
        recordedAt,
      );
      return;
    }
    const { transaction, command, reason, body } = event.data;
    insert.run(
      eventId,
      balanceIdOf(recorded.streamId) ?? null,
      transaction.lifecycleId,
      command,
      reason,
      transaction.amountMinor,
      transaction.currency,
      JSON.stringify(body),
      recordedAt,
    );
  }
}
