import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_DB, type ReadModelDb } from '@app/event-store';
import type { BalanceRow } from '../../projections/balances.projection';
import { WriteFence } from '../write-fence';

/** The operator's view of a balance (CONTRACT.md `GET /operator/balances/:balanceId`). */
export interface BalanceView {
  readonly balanceId: string;
  readonly userId: string;
  readonly currency: string;
  readonly available: number;
  readonly holds: number;
  readonly booked: number;
  readonly status: string;
}

const toView = (row: BalanceRow): BalanceView => ({
  balanceId: row.balance_id,
  userId: row.user_id,
  currency: row.currency,
  available: row.booked_minor - row.holds_minor,
  holds: row.holds_minor,
  booked: row.booked_minor,
  status: row.status,
});

/** Any balance by id, linked or not; undefined if it was never linked. */
export class GetBalanceQuery extends Query<BalanceView | undefined> {
  constructor(readonly balanceId: string) {
    super();
  }
}

/** The linked balances of a user; `[]` for a user we do not know. */
export class ListUserBalancesQuery extends Query<BalanceView[]> {
  constructor(readonly userId: string) {
    super();
  }
}

@QueryHandler(GetBalanceQuery)
export class GetBalanceHandler implements IQueryHandler<GetBalanceQuery, BalanceView | undefined> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: ReadModelDb,
    private readonly fence: WriteFence,
  ) {}

  async execute({ balanceId }: GetBalanceQuery): Promise<BalanceView | undefined> {
    await this.fence.reached();
    const row = this.db
      .prepare<[string], BalanceRow>('SELECT * FROM balances WHERE balance_id = ?')
      .get(balanceId);
    return row && toView(row);
  }
}

@QueryHandler(ListUserBalancesQuery)
export class ListUserBalancesHandler implements IQueryHandler<ListUserBalancesQuery, BalanceView[]> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: ReadModelDb,
    private readonly fence: WriteFence,
  ) {}

  async execute({ userId }: ListUserBalancesQuery): Promise<BalanceView[]> {
    await this.fence.reached();
    return this.db
      .prepare<[string], BalanceRow>(
        `SELECT * FROM balances WHERE user_id = ? AND status = 'LINKED' ORDER BY rowid`,
      )
      .all(userId)
      .map(toView);
  }
}
