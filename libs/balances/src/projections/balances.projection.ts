import { Injectable } from '@nestjs/common';
import { Projection, type ReadModelDb, type ReadModelProjection, type RecordedEvent } from '@app/event-store';
import { assertNever } from '@app/shared-kernel';
import { BALANCE_CATEGORY, balanceIdOf } from '../application/balance-stream';
import type { UserBalanceEvent } from '../domain/user-balance.events';

/** One row per balance ever linked: the figures behind the GET endpoints and the operator view. */
export interface BalanceRow {
  readonly balance_id: string;
  readonly user_id: string;
  readonly currency: string;
  /** LINKED or UNLINKED. */
  readonly status: string;
  readonly booked_minor: number;
  readonly holds_minor: number;
}

const MONEY_EVENTS = [
  'BalanceLinked',
  'BalanceUnlinked',
  'FundsHeld',
  'FundsDebited',
  'FundsCredited',
  'HoldReleased',
  'CreditReversed',
  'TransactionCleared',
  'OperatorCredited',
  'OperatorDebited',
] as const satisfies readonly UserBalanceEvent['type'][];

type MoneyEvent = Extract<UserBalanceEvent, { type: (typeof MONEY_EVENTS)[number] }>;

/** The money effect of each event on (booked, holds); available = booked - holds. */
function movement(event: MoneyEvent): { booked: number; holds: number } {
  switch (event.type) {
    case 'BalanceLinked':
    case 'BalanceUnlinked':
      return { booked: 0, holds: 0 };
    case 'FundsHeld':
      return { booked: 0, holds: event.data.amountMinor };
    case 'HoldReleased':
      return { booked: 0, holds: -event.data.amountMinor };
    case 'FundsCredited':
    case 'OperatorCredited':
      return { booked: event.data.amountMinor, holds: 0 };
    case 'FundsDebited':
    case 'CreditReversed':
    case 'OperatorDebited':
      return { booked: -event.data.amountMinor, holds: 0 };
    case 'TransactionCleared':
      return { booked: -event.data.heldMinor, holds: -event.data.heldMinor };
    default:
      return assertNever(event);
  }
}

@Injectable()
@Projection({ name: 'balances', handles: MONEY_EVENTS, category: BALANCE_CATEGORY })
export class BalancesProjection implements ReadModelProjection {
  migrate(db: ReadModelDb): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS balances (
        balance_id   TEXT PRIMARY KEY,
        user_id      TEXT NOT NULL,
        currency     TEXT NOT NULL,
        status       TEXT NOT NULL,
        booked_minor INTEGER NOT NULL,
        holds_minor  INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS balances_by_user ON balances (user_id);
    `);
  }

  apply(recorded: RecordedEvent, db: ReadModelDb): void {
    const event = { type: recorded.type, data: recorded.data } as MoneyEvent;
    const balanceId = balanceIdOf(recorded.streamId);
    if (!balanceId) throw new Error(`${recorded.type} outside a balance stream: ${recorded.streamId}`);
    if (event.type === 'BalanceLinked') {
      db.prepare(
        `INSERT INTO balances (balance_id, user_id, currency, status, booked_minor, holds_minor)
         VALUES (?, ?, ?, 'LINKED', 0, 0)
         ON CONFLICT (balance_id) DO UPDATE SET user_id = excluded.user_id, currency = excluded.currency, status = 'LINKED'`,
      ).run(balanceId, event.data.userId, event.data.currency);
      return;
    }
    if (event.type === 'BalanceUnlinked') {
      db.prepare(`UPDATE balances SET status = 'UNLINKED' WHERE balance_id = ?`).run(balanceId);
      return;
    }
    const { booked, holds } = movement(event);
    db.prepare(
      'UPDATE balances SET booked_minor = booked_minor + ?, holds_minor = holds_minor + ? WHERE balance_id = ?',
    ).run(booked, holds, balanceId);
  }
}
