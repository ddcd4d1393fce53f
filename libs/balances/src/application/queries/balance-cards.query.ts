import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_DB, type ReadModelDb } from '@app/event-store';
import type { BalanceCardRow } from '../../projections/balance-cards.projection';
import { WriteFence } from '../write-fence';

export interface CardDecline {
  readonly at: string;
  /** The lifecycle `id` of the declined request. */
  readonly id: string;
  readonly reason: string;
  readonly detail: string;
}

/** A card seen on one or more of the asked balances. */
export interface BalanceCardView {
  readonly cardId: string;
  readonly balanceIds: readonly string[];
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  /** The most recent decline of a request with this card, on any of the balances. */
  readonly lastDecline: CardDecline | null;
}

/** The cards used on these balances, most recently used first. */
export class ListBalanceCardsQuery extends Query<BalanceCardView[]> {
  constructor(readonly balanceIds: readonly string[]) {
    super();
  }
}

/** A user has a handful of balances; the bound keeps the SQL parameter list small. */
const MAX_BALANCES = 100;

@QueryHandler(ListBalanceCardsQuery)
export class ListBalanceCardsHandler implements IQueryHandler<ListBalanceCardsQuery, BalanceCardView[]> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: ReadModelDb,
    private readonly fence: WriteFence,
  ) {}

  async execute({ balanceIds }: ListBalanceCardsQuery): Promise<BalanceCardView[]> {
    if (balanceIds.length === 0) return [];
    if (balanceIds.length > MAX_BALANCES) throw new RangeError(`At most ${MAX_BALANCES} balances at once`);
    await this.fence.reached();
    const rows = this.db
      .prepare<string[], BalanceCardRow>(
        `SELECT * FROM balance_cards WHERE balance_id IN (${balanceIds.map(() => '?').join(', ')})
          ORDER BY last_seen_at DESC`,
      )
      .all(...balanceIds);
    const byCard = new Map<string, BalanceCardView>();
    for (const row of rows) {
      const seen = byCard.get(row.card_id);
      const decline = declineOf(row);
      byCard.set(row.card_id, {
        cardId: row.card_id,
        balanceIds: [...(seen?.balanceIds ?? []), row.balance_id],
        firstSeenAt: seen && seen.firstSeenAt < row.first_seen_at ? seen.firstSeenAt : row.first_seen_at,
        lastSeenAt: seen?.lastSeenAt ?? row.last_seen_at,
        lastDecline: latest(seen?.lastDecline ?? null, decline),
      });
    }
    return [...byCard.values()];
  }
}

/** The projection writes the four decline columns together, in one UPDATE. */
function declineOf(row: BalanceCardRow): CardDecline | null {
  const {
    last_declined_at: at,
    last_declined_id: id,
    last_decline_reason: reason,
    last_decline_detail: detail,
  } = row;
  if (at === null || id === null || reason === null || detail === null) return null;
  return { at, id, reason, detail };
}

function latest(a: CardDecline | null, b: CardDecline | null): CardDecline | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.at >= b.at ? a : b;
}
