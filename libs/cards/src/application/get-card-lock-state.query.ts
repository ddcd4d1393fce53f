import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore, type RecordedEvent } from '@app/event-store';
import { replay } from '@app/shared-kernel';
import { card, cardStream } from '../domain/card.decider';
import type { CardEvent } from '../domain/card.events';
import type { CardState } from '../domain/card.state';

/** Whether a card may spend: what the authorization policy asks (DOMAIN.md 5, rule 3). */
export interface CardLockState {
  readonly cardId: string;
  readonly locked: boolean;
  /** The reason of the lock in effect (upper-case code); null while unlocked. */
  readonly reason: string | null;
  /** The `date` of the lock in effect, as Antaca sent it; null while unlocked. */
  readonly lockedAt: string | null;
}

/**
 * A card's lock state, folded from its stream (not a read model): a debit arriving right
 * after the 204 to `cardLocked` must see the lock. An unknown card is unlocked.
 */
export class GetCardLockStateQuery extends Query<CardLockState> {
  constructor(readonly cardId: string) {
    super();
  }
}

@QueryHandler(GetCardLockStateQuery)
export class GetCardLockStateHandler implements IQueryHandler<GetCardLockStateQuery, CardLockState> {
  constructor(private readonly store: EventStore) {}

  async execute({ cardId }: GetCardLockStateQuery): Promise<CardLockState> {
    return lockStateOf(cardId, foldCard(await this.store.readStream(cardStream(cardId))));
  }
}

export function foldCard(recorded: readonly RecordedEvent[]): CardState {
  return replay(
    card,
    recorded.map((event) => ({ type: event.type, data: event.data }) as CardEvent),
  );
}

export function lockStateOf(cardId: string, state: CardState): CardLockState {
  return {
    cardId,
    locked: state.lock !== null,
    reason: state.lock?.reason ?? null,
    lockedAt: state.lock?.date ?? null,
  };
}
