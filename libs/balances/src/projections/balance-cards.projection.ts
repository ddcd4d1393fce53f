import { Injectable } from '@nestjs/common';
import { Projection, type ReadModelDb, type ReadModelProjection, type RecordedEvent } from '@app/event-store';
import { BALANCE_CATEGORY, balanceIdOf } from '../application/balance-stream';
import type { UserBalanceEvent } from '../domain/user-balance.events';

/** A card seen on a balance's card requests, with its last decline on that balance. */
export interface BalanceCardRow {
  readonly balance_id: string;
  readonly card_id: string;
  readonly first_seen_at: string;
  readonly last_seen_at: string;
  readonly last_declined_at: string | null;
  /** The lifecycle `id` of the last declined request. */
  readonly last_declined_id: string | null;
  readonly last_decline_reason: string | null;
  readonly last_decline_detail: string | null;
}

/** Every balance event that comes from a card request (and so may name a card). */
const FROM_CARD_REQUESTS = [
  'RequestRefused',
  'FundsHeld',
  'DebitIgnoredAfterReversal',
  'FundsDebited',
  'FundsCredited',
  'HoldReleased',
  'CreditReversed',
  'ReversalRecorded',
  'TransactionCleared',
  'ForcedRequestSuspended',
] as const satisfies readonly UserBalanceEvent['type'][];

type FromCardRequest = Extract<UserBalanceEvent, { type: (typeof FROM_CARD_REQUESTS)[number] }>;

/**
 * Which cards were used on which balance: the operator's user view lists a user's cards as
 * the cards seen on their balances (Antaca tells us of no other link between the two), and
 * shows each card's last decline with its reason, so support can answer "why was my card
 * declined?". Applying an event twice writes the same row.
 */
@Injectable()
@Projection({ name: 'balance-cards', handles: FROM_CARD_REQUESTS, category: BALANCE_CATEGORY })
export class BalanceCardsProjection implements ReadModelProjection {
  migrate(db: ReadModelDb): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS balance_cards (
        balance_id          TEXT NOT NULL,
        card_id             TEXT NOT NULL,
        first_seen_at       TEXT NOT NULL,
        last_seen_at        TEXT NOT NULL,
        last_declined_at    TEXT,
        last_declined_id    TEXT,
        last_decline_reason TEXT,
        last_decline_detail TEXT,
        PRIMARY KEY (balance_id, card_id)
      );
    `);
  }

  apply(recorded: RecordedEvent, db: ReadModelDb): void {
    const event = { type: recorded.type, data: recorded.data } as FromCardRequest;
    const balanceId = balanceIdOf(recorded.streamId);
    const transaction = event.data.transaction;
    if (!balanceId || !transaction?.cardId) return;
    const at = recorded.metadata.recordedAt;
    db.prepare(
      `INSERT INTO balance_cards (balance_id, card_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (balance_id, card_id) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
    ).run(balanceId, transaction.cardId, at, at);
    if (event.type === 'RequestRefused') {
      db.prepare(
        `UPDATE balance_cards
            SET last_declined_at = ?, last_declined_id = ?, last_decline_reason = ?, last_decline_detail = ?
          WHERE balance_id = ? AND card_id = ?`,
      ).run(at, transaction.lifecycleId, event.data.reason, event.data.detail, balanceId, transaction.cardId);
    }
  }
}
