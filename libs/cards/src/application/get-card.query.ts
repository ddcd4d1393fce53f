import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { cardStream } from '../domain/card.decider';
import type { CardEvent } from '../domain/card.events';
import { foldCard, lockStateOf, type CardLockState } from './get-card-lock-state.query';

export interface CardHistoryEntry {
  /** Decimal string: revisions are bigints, and JSON has no bigint. */
  readonly revision: string;
  readonly type: CardEvent['type'];
  /** The notification's own date (for an anomaly, the unlock's), as Antaca sent it. */
  readonly date: string;
  /** When the service recorded it. */
  readonly receivedAt: string;
  readonly data: CardEvent['data'];
}

/** The operator's view of a card: its lock state and every notification, in order of arrival. */
export interface CardView extends CardLockState {
  /** An irreversible lock took effect: nothing will unlock the card. */
  readonly irreversible: boolean;
  readonly anomalies: number;
  readonly history: readonly CardHistoryEntry[];
}

/** `GET /operator/cards/:cardId`, from the card's stream. `undefined` when no notification names the card. */
export class GetCardQuery extends Query<CardView | undefined> {
  constructor(readonly cardId: string) {
    super();
  }
}

@QueryHandler(GetCardQuery)
export class GetCardHandler implements IQueryHandler<GetCardQuery, CardView | undefined> {
  constructor(private readonly store: EventStore) {}

  async execute({ cardId }: GetCardQuery): Promise<CardView | undefined> {
    const recorded = await this.store.readStream(cardStream(cardId));
    if (recorded.length === 0) return undefined;
    const state = foldCard(recorded);
    return {
      ...lockStateOf(cardId, state),
      irreversible: state.irreversiblySince !== null,
      anomalies: state.anomalies,
      history: recorded.map((entry) => {
        const event = { type: entry.type, data: entry.data } as CardEvent;
        return {
          revision: entry.revision.toString(),
          type: event.type,
          date: event.type === 'CardUnlockAnomalyRecorded' ? event.data.unlockDate : event.data.date,
          receivedAt: entry.metadata.recordedAt,
          data: event.data,
        };
      }),
    };
  }
}
