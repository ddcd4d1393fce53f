import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import type { UserBalanceEvent } from '../../domain/user-balance.events';
import { userBalance } from '../../domain/user-balance.decider';
import { availableMinor } from '../../domain/user-balance.state';
import { balanceStream } from '../balance-stream';

export interface HistoryEntry {
  readonly revision: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly eventId: string;
  readonly idempotencyKey: string | undefined;
  readonly data: object;
  /** The figures after this event, replayed with the same decider that decides. */
  readonly after: { readonly available: number; readonly holds: number; readonly booked: number };
}

/**
 * An auditor's replay of a balance: every event with the figures after it, straight from the
 * stream (not a read model), stopping after the last event recorded at or before `at`.
 */
export class GetBalanceHistoryQuery extends Query<HistoryEntry[] | undefined> {
  constructor(
    readonly balanceId: string,
    readonly at: Date | undefined,
  ) {
    super();
  }
}

@QueryHandler(GetBalanceHistoryQuery)
export class GetBalanceHistoryHandler implements IQueryHandler<
  GetBalanceHistoryQuery,
  HistoryEntry[] | undefined
> {
  constructor(private readonly store: EventStore) {}

  async execute({ balanceId, at }: GetBalanceHistoryQuery): Promise<HistoryEntry[] | undefined> {
    const events = await this.store.readStream(balanceStream(balanceId));
    if (events.length === 0) return undefined;
    let state = userBalance.initialState();
    const entries: HistoryEntry[] = [];
    for (const recorded of events) {
      if (at && Date.parse(recorded.metadata.recordedAt) > at.getTime()) break;
      state = userBalance.evolve(state, { type: recorded.type, data: recorded.data } as UserBalanceEvent);
      entries.push({
        revision: recorded.revision.toString(),
        type: recorded.type,
        recordedAt: recorded.metadata.recordedAt,
        eventId: recorded.metadata.eventId,
        idempotencyKey: recorded.metadata.idempotencyKey,
        data: recorded.data,
        after: { available: availableMinor(state), holds: state.holdsMinor, booked: state.bookedMinor },
      });
    }
    return entries;
  }
}
