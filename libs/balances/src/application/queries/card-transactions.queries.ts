import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AppConfig } from '@app/config';
import { READ_MODEL_DB, type ReadModelDb } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import type { CardTransactionRow } from '../../projections/clearing-status.projection';
import { WriteFence } from '../write-fence';

export interface CardTransactionView {
  readonly balanceId: string;
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly currency: string | null;
  readonly authorized: number;
  readonly held: number;
  readonly cleared: number | null;
  readonly mismatch: boolean;
  readonly declinedReason: string | null;
  readonly firstSeenAt: string;
  readonly updatedAt: string;
  /** An authorization still holding money after STALE_AUTHORIZATION_DAYS. */
  readonly stale: boolean;
}

export interface CardTransactionFilter {
  readonly status?: string;
  readonly balanceId?: string;
  readonly staleOnly?: boolean;
}

/** One lifecycle id; several rows when the same id was used on several balances. */
export class GetCardTransactionQuery extends Query<CardTransactionView[]> {
  constructor(readonly lifecycleId: string) {
    super();
  }
}

/** The clearing status report, newest first, at most `limit` rows. */
export class ListCardTransactionsQuery extends Query<CardTransactionView[]> {
  constructor(
    readonly filter: CardTransactionFilter,
    readonly limit: number,
  ) {
    super();
  }
}

abstract class CardTransactionReader {
  constructor(
    protected readonly db: ReadModelDb,
    private readonly fence: WriteFence,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  protected staleBefore(): string {
    const days = this.config.staleAuthorizationDays;
    return new Date(this.clock.now().getTime() - days * 24 * 60 * 60 * 1000).toISOString();
  }

  protected async read(
    where: string,
    values: (string | number)[],
    limit: number,
  ): Promise<CardTransactionView[]> {
    await this.fence.reached();
    const staleBefore = this.staleBefore();
    return this.db
      .prepare<(string | number)[], CardTransactionRow>(
        `SELECT * FROM card_transactions ${where} ORDER BY first_seen_at DESC LIMIT ?`,
      )
      .all(...values, limit)
      .map((row) => ({
        balanceId: row.balance_id,
        id: row.lifecycle_id,
        kind: row.kind,
        status: row.status,
        currency: row.currency,
        authorized: row.authorized_minor,
        held: row.held_minor,
        cleared: row.cleared_minor,
        mismatch: row.mismatch === 1,
        declinedReason: row.declined_reason,
        firstSeenAt: row.first_seen_at,
        updatedAt: row.updated_at,
        stale: row.status === 'AUTHORIZED' && row.held_minor > 0 && row.first_seen_at < staleBefore,
      }));
  }
}

@QueryHandler(GetCardTransactionQuery)
export class GetCardTransactionHandler
  extends CardTransactionReader
  implements IQueryHandler<GetCardTransactionQuery, CardTransactionView[]>
{
  constructor(@Inject(READ_MODEL_DB) db: ReadModelDb, fence: WriteFence, clock: Clock, config: AppConfig) {
    super(db, fence, clock, config);
  }

  execute({ lifecycleId }: GetCardTransactionQuery): Promise<CardTransactionView[]> {
    return this.read('WHERE lifecycle_id = ?', [lifecycleId], 100);
  }
}

@QueryHandler(ListCardTransactionsQuery)
export class ListCardTransactionsHandler
  extends CardTransactionReader
  implements IQueryHandler<ListCardTransactionsQuery, CardTransactionView[]>
{
  constructor(@Inject(READ_MODEL_DB) db: ReadModelDb, fence: WriteFence, clock: Clock, config: AppConfig) {
    super(db, fence, clock, config);
  }

  execute({ filter, limit }: ListCardTransactionsQuery): Promise<CardTransactionView[]> {
    const conditions: string[] = [];
    const values: string[] = [];
    if (filter.status) {
      conditions.push('status = ?');
      values.push(filter.status);
    }
    if (filter.balanceId) {
      conditions.push('balance_id = ?');
      values.push(filter.balanceId);
    }
    if (filter.staleOnly) {
      conditions.push(`status = 'AUTHORIZED' AND held_minor > 0 AND first_seen_at < ?`);
      values.push(this.staleBefore());
    }
    return this.read(conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', values, limit);
  }
}
