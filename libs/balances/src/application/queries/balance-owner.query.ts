import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore, READ_MODEL_DB, type ReadModelDb } from '@app/event-store';
import { replay } from '@app/shared-kernel';
import type { UserBalanceEvent } from '../../domain/user-balance.events';
import { userBalance } from '../../domain/user-balance.decider';
import type { BalanceRow } from '../../projections/balances.projection';
import { balanceStream } from '../balance-stream';

/**
 * The user a balance is linked to, or null when it is not linked: whose locks and KYC the
 * authorization rules look at. Asked on every debit and credit, so it reads the balances read
 * model (one indexed row) without waiting for it: a balance is linked long before it is
 * spent from, and its owner changes only by an unlink (of an empty balance) and a new link.
 * A balance the read model does not show linked yet is folded from its stream, so a debit
 * right after the link is checked against its owner.
 */
export class GetBalanceOwnerQuery extends Query<string | null> {
  constructor(readonly balanceId: string) {
    super();
  }
}

@QueryHandler(GetBalanceOwnerQuery)
export class GetBalanceOwnerHandler implements IQueryHandler<GetBalanceOwnerQuery, string | null> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: ReadModelDb,
    private readonly store: EventStore,
  ) {}

  async execute({ balanceId }: GetBalanceOwnerQuery): Promise<string | null> {
    const row = this.db
      .prepare<[string], Pick<BalanceRow, 'user_id' | 'status'>>(
        'SELECT user_id, status FROM balances WHERE balance_id = ?',
      )
      .get(balanceId);
    if (row?.status === 'LINKED') return row.user_id;
    const recorded = await this.store.readStream(balanceStream(balanceId));
    const state = replay(
      userBalance,
      recorded.map((event) => ({ type: event.type, data: event.data }) as UserBalanceEvent),
    );
    return state.status === 'linked' ? state.userId : null;
  }
}
