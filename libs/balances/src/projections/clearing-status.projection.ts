import { Injectable } from '@nestjs/common';
import { Projection, type ReadModelDb, type ReadModelProjection, type RecordedEvent } from '@app/event-store';
import { BALANCE_CATEGORY, balanceIdOf } from '../application/balance-stream';
import type { CardTransaction } from '../domain/card-transaction';
import type { UserBalanceEvent } from '../domain/user-balance.events';

/** Clearing status of one transaction lifecycle on one balance. */
export interface CardTransactionRow {
  readonly balance_id: string;
  readonly lifecycle_id: string;
  /** debit, credit, or unknown (only a reversal was seen). */
  readonly kind: string;
  /** AUTHORIZED, CLEARED, REVERSED or DECLINED. */
  readonly status: string;
  readonly currency: string | null;
  readonly authorized_minor: number;
  readonly held_minor: number;
  readonly cleared_minor: number | null;
  /** 1 when a clearing disagreed with what was authorized: reconcile by hand. */
  readonly mismatch: number;
  readonly declined_reason: string | null;
  readonly first_seen_at: string;
  readonly updated_at: string;
}

const HANDLED = [
  'FundsHeld',
  'FundsDebited',
  'FundsCredited',
  'HoldReleased',
  'CreditReversed',
  'ReversalRecorded',
  'DebitIgnoredAfterReversal',
  'TransactionCleared',
  'RequestRefused',
] as const satisfies readonly UserBalanceEvent['type'][];

type Handled = Extract<UserBalanceEvent, { type: (typeof HANDLED)[number] }>;

@Injectable()
@Projection({ name: 'clearing-status', handles: HANDLED, category: BALANCE_CATEGORY })
export class ClearingStatusProjection implements ReadModelProjection {
  migrate(db: ReadModelDb): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS card_transactions (
        balance_id       TEXT NOT NULL,
        lifecycle_id     TEXT NOT NULL,
        kind             TEXT NOT NULL,
        status           TEXT NOT NULL,
        currency         TEXT,
        authorized_minor INTEGER NOT NULL DEFAULT 0,
        held_minor       INTEGER NOT NULL DEFAULT 0,
        cleared_minor    INTEGER,
        mismatch         INTEGER NOT NULL DEFAULT 0,
        declined_reason  TEXT,
        first_seen_at    TEXT NOT NULL,
        updated_at       TEXT NOT NULL,
        PRIMARY KEY (balance_id, lifecycle_id)
      );
      CREATE INDEX IF NOT EXISTS card_transactions_by_status ON card_transactions (status, first_seen_at);
      CREATE INDEX IF NOT EXISTS card_transactions_by_lifecycle ON card_transactions (lifecycle_id);
    `);
  }

  apply(recorded: RecordedEvent, db: ReadModelDb): void {
    const event = { type: recorded.type, data: recorded.data } as Handled;
    const balanceId = balanceIdOf(recorded.streamId);
    if (!balanceId) return;
    const at = recorded.metadata.recordedAt;
    const upsert = (transaction: CardTransaction, kind: string, status: string) =>
      db
        .prepare(
          `INSERT INTO card_transactions (balance_id, lifecycle_id, kind, status, currency, first_seen_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (balance_id, lifecycle_id) DO NOTHING`,
        )
        .run(balanceId, transaction.lifecycleId, kind, status, transaction.currency, at, at);
    const update = (lifecycleId: string, assignments: string, ...values: (string | number | null)[]) =>
      db
        .prepare(
          `UPDATE card_transactions SET ${assignments}, updated_at = ? WHERE balance_id = ? AND lifecycle_id = ?`,
        )
        .run(...values, at, balanceId, lifecycleId);

    switch (event.type) {
      case 'FundsHeld':
        upsert(event.data.transaction, 'debit', 'AUTHORIZED');
        update(
          event.data.transaction.lifecycleId,
          `authorized_minor = authorized_minor + ?, held_minor = held_minor + ?,
           status = CASE WHEN status = 'DECLINED' THEN 'AUTHORIZED' ELSE status END`,
          event.data.amountMinor,
          event.data.amountMinor,
        );
        return;
      case 'FundsDebited':
        upsert(event.data.transaction, 'debit', 'CLEARED');
        update(
          event.data.transaction.lifecycleId,
          `authorized_minor = authorized_minor + ?, cleared_minor = COALESCE(cleared_minor, 0) + ?, status = 'CLEARED'`,
          event.data.amountMinor,
          event.data.amountMinor,
        );
        return;
      case 'FundsCredited':
        upsert(event.data.transaction, 'credit', 'AUTHORIZED');
        update(
          event.data.transaction.lifecycleId,
          'authorized_minor = authorized_minor + ?',
          event.data.amountMinor,
        );
        return;
      case 'HoldReleased':
        update(
          event.data.lifecycleId,
          `held_minor = held_minor - ?, status = CASE WHEN held_minor - ? <= 0 THEN 'REVERSED' ELSE status END`,
          event.data.amountMinor,
          event.data.amountMinor,
        );
        return;
      case 'CreditReversed':
        update(event.data.lifecycleId, `status = 'REVERSED'`);
        return;
      case 'ReversalRecorded':
        if (event.data.outcome === 'tombstone') upsert(event.data.transaction, 'unknown', 'REVERSED');
        return;
      case 'DebitIgnoredAfterReversal':
        upsert(event.data.transaction, 'debit', 'REVERSED');
        return;
      case 'TransactionCleared':
        update(
          event.data.lifecycleId,
          `held_minor = held_minor - ?, cleared_minor = ?, mismatch = MAX(mismatch, ?), status = 'CLEARED'`,
          event.data.heldMinor,
          event.data.clearedMinor,
          event.data.mismatch ? 1 : 0,
        );
        return;
      case 'RequestRefused': {
        const transaction = event.data.transaction;
        if (!transaction || (event.data.command !== 'Debit' && event.data.command !== 'Credit')) return;
        upsert(transaction, event.data.command === 'Debit' ? 'debit' : 'credit', 'DECLINED');
        update(transaction.lifecycleId, 'declined_reason = ?', event.data.reason);
        return;
      }
    }
  }
}
