import type { RequestRef } from '@app/shared-kernel';
import { cardLockReasonKind } from '../card-lock-reasons';
import type { LockCard, UnlockCard } from '../card.commands';
import type { CardEvent, CardNotificationSuperseded } from '../card.events';

/** The seeds' own example card. */
export const CARD_ID = '11';

let counter = 0;

export function requestRef(): RequestRef {
  counter += 1;
  return { idempotencyKey: `key-${counter}`, requestHash: `hash-${counter}` };
}

/** `2025-06-17T<hh>:00:00+02:00`: dates of the same day, ordered by hour, in a non-UTC offset. */
export function at(hour: number): { date: string; dateUtc: string } {
  const date = `2025-06-17T${String(hour).padStart(2, '0')}:00:00+02:00`;
  return { date, dateUtc: new Date(date).toISOString() };
}

export function lock(reason: string, hour: number, request: RequestRef = requestRef()): LockCard {
  return {
    type: 'LockCard',
    request,
    cardId: CARD_ID,
    reason,
    ...at(hour),
    body: { dcCardId: CARD_ID, reason },
  };
}

export function unlock(hour: number, request: RequestRef = requestRef()): UnlockCard {
  return { type: 'UnlockCard', request, cardId: CARD_ID, ...at(hour), body: { dcCardId: CARD_ID } };
}

/** The event a lock records when it takes effect. */
export function locked(command: LockCard): CardEvent {
  const { request, cardId, date, dateUtc, reason, body } = command;
  return {
    type: 'CardLocked',
    data: { cardId, request, date, dateUtc, reason, reasonKind: cardLockReasonKind(reason), body },
  };
}

export function unlocked(command: UnlockCard): CardEvent {
  const { request, cardId, date, dateUtc, body } = command;
  return { type: 'CardUnlocked', data: { cardId, request, date, dateUtc, body } };
}

export function superseded(
  command: LockCard | UnlockCard,
  cause: CardNotificationSuperseded['data']['cause'],
): CardEvent {
  const { request, cardId, date, dateUtc, body } = command;
  return {
    type: 'CardNotificationSuperseded',
    data: {
      cardId,
      request,
      notification: command.type === 'LockCard' ? 'cardLocked' : 'cardUnlocked',
      date,
      dateUtc,
      reason: command.type === 'LockCard' ? command.reason : null,
      cause,
      body,
    },
  };
}

/**
 * An unlock dated after the irreversible `lockCommand`. `recordedBy`: the request that revealed
 * it (the unlock itself, whose body is kept, or a late lock, which leaves `body: null`).
 */
export function anomaly(
  unlockCommand: UnlockCard,
  lockCommand: LockCard,
  recordedBy: LockCard | UnlockCard = unlockCommand,
): CardEvent {
  return {
    type: 'CardUnlockAnomalyRecorded',
    data: {
      cardId: CARD_ID,
      request: recordedBy.request,
      unlockDate: unlockCommand.date,
      unlockDateUtc: unlockCommand.dateUtc,
      lockReason: lockCommand.reason,
      lockDate: lockCommand.date,
      lockDateUtc: lockCommand.dateUtc,
      body: recordedBy === unlockCommand ? unlockCommand.body : null,
    },
  };
}
