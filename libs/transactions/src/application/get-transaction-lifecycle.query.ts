import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { replay } from '@app/shared-kernel';
import { transaction, transactionStream } from '../domain/transaction.decider';
import type { TransactionEvent } from '../domain/transaction.events';
import type { TransactionState } from '../domain/transaction.state';

export interface TransactionLifecycleEntry {
  /** Decimal string: revisions are bigints, and JSON has no bigint. */
  readonly revision: string;
  readonly type: TransactionEvent['type'];
  readonly recordedAt: string;
  /** The balance event it records (also `data.sourceEventId`); none for a notification. */
  readonly causationId: string | undefined;
  readonly data: TransactionEvent['data'];
}

export interface TransactionLifecycleView {
  readonly lifecycleId: string;
  readonly state: TransactionState;
  readonly events: readonly TransactionLifecycleEntry[];
}

/**
 * One lifecycle for the operator, straight from its stream (not a read model): the state the
 * decider folds and every event. `undefined` when nothing was recorded under this id.
 */
export class GetTransactionLifecycleQuery extends Query<TransactionLifecycleView | undefined> {
  constructor(readonly lifecycleId: string) {
    super();
  }
}

@QueryHandler(GetTransactionLifecycleQuery)
export class GetTransactionLifecycleHandler implements IQueryHandler<
  GetTransactionLifecycleQuery,
  TransactionLifecycleView | undefined
> {
  constructor(private readonly store: EventStore) {}

  async execute({
    lifecycleId,
  }: GetTransactionLifecycleQuery): Promise<TransactionLifecycleView | undefined> {
    const recorded = await this.store.readStream(transactionStream(lifecycleId));
    if (recorded.length === 0) return undefined;
    const events = recorded.map((event) => ({ type: event.type, data: event.data }) as TransactionEvent);
    return {
      lifecycleId,
      state: replay(transaction, events),
      events: recorded.map((event, index) => ({
        revision: event.revision.toString(),
        type: events[index]!.type,
        recordedAt: event.metadata.recordedAt,
        causationId: event.metadata.causationId,
        data: events[index]!.data,
      })),
    };
  }
}
