import { assertNever, type Decider, type RequestRef } from '@app/shared-kernel';
import { cardLockReasonKind } from './card-lock-reasons';
import type { CardCommand, LockCard, UnlockCard } from './card.commands';
import type { CardEvent, CardNotificationSuperseded, CardUnlockAnomalyRecorded } from './card.events';
import { initialCardState, type CardState, type NotificationDate } from './card.state';

/** Stream of one card: `card-<dcCardId>`. */
export const cardStream = (cardId: string): string => `card-${cardId}`;

/**
 * The Card decider (DOMAIN.md 4): locks and unlocks ordered by their own `date`, newest wins
 * whatever the arrival order, except that an irreversible lock (CARD_LOST, CARD_STOLEN,
 * CARD_INACTIVE, CARD_REPLACED) outranks dates: once one took effect, nothing unlocks the card.
 *
 * Ties: a lock dated exactly like the newest notification takes effect, an unlock does not
 * (when Antaca cannot say which came first, the card stays locked).
 *
 * Every notification leaves an event, those that change nothing included, so the card's
 * history shows everything Antaca said, and a repeat (same idempotency key) decides nothing.
 */
export const card: Decider<CardCommand, CardState, CardEvent> = {
  initialState: initialCardState,
  evolve,
  decide,
};

/** `recorded`: processed now or before under this key; `reused`: the key came with another request. */
export type CardRequestOutcome = 'none' | 'recorded' | 'reused';

export function outcomeOfCardRequest(state: CardState, request: RequestRef): CardRequestOutcome {
  const requestHash = state.requests.get(request.idempotencyKey);
  if (requestHash === undefined) return 'none';
  return requestHash === request.requestHash ? 'recorded' : 'reused';
}

function decide(command: CardCommand, state: CardState): readonly CardEvent[] {
  if (state.requests.has(command.request.idempotencyKey)) return [];
  switch (command.type) {
    case 'LockCard':
      return decideLock(command, state);
    case 'UnlockCard':
      return decideUnlock(command, state);
    default:
      return assertNever(command);
  }
}

function decideLock(command: LockCard, state: CardState): CardEvent[] {
  const reasonKind = cardLockReasonKind(command.reason);
  const { request, cardId, date, dateUtc, reason, body } = command;
  const locked: CardEvent = {
    type: 'CardLocked',
    data: { cardId, request, date, dateUtc, reason, reasonKind, body },
  };
  const atOrAfterNewest = state.newest === null || dateUtc >= state.newest.dateUtc;

  if (state.irreversiblySince !== null) {
    if (reasonKind !== 'irreversible') return [superseded(command, 'irreversibly-locked')];
    return atOrAfterNewest ? [locked] : [superseded(command, 'older-than-current')];
  }
  if (atOrAfterNewest) return [locked];
  if (reasonKind !== 'irreversible') return [superseded(command, 'older-than-current')];
  // A late irreversible lock: the card is locked whatever came after it, and an unlock in
  // effect, being dated after this lock, was an anomaly all along.
  const unlockInEffect = state.lock === null ? state.newest : null;
  return unlockInEffect === null
    ? [locked]
    : [locked, anomaly(command, unlockInEffect, { reason, date, dateUtc }, null)];
}

function decideUnlock(command: UnlockCard, state: CardState): CardEvent[] {
  const { request, cardId, date, dateUtc, body } = command;
  if (state.irreversiblySince !== null) {
    if (dateUtc <= state.irreversiblySince.dateUtc) return [superseded(command, 'older-than-current')];
    // Only irreversible locks take effect on an irreversibly locked card, and nothing unlocks it.
    if (state.lock === null)
      throw new Error(`Card ${cardId} is irreversibly locked but has no lock in effect`);
    return [anomaly(command, { date, dateUtc }, state.lock, body)];
  }
  if (state.newest !== null && dateUtc <= state.newest.dateUtc)
    return [superseded(command, 'older-than-current')];
  return [{ type: 'CardUnlocked', data: { cardId, request, date, dateUtc, body } }];
}

function superseded(command: CardCommand, cause: CardNotificationSuperseded['data']['cause']): CardEvent {
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

function anomaly(
  command: CardCommand,
  unlock: NotificationDate,
  lock: NotificationDate & { readonly reason: string },
  body: CardUnlockAnomalyRecorded['data']['body'],
): CardEvent {
  return {
    type: 'CardUnlockAnomalyRecorded',
    data: {
      cardId: command.cardId,
      request: command.request,
      unlockDate: unlock.date,
      unlockDateUtc: unlock.dateUtc,
      lockReason: lock.reason,
      lockDate: lock.date,
      lockDateUtc: lock.dateUtc,
      body,
    },
  };
}

function evolve(state: CardState, event: CardEvent): CardState {
  const requests = new Map(state.requests).set(
    event.data.request.idempotencyKey,
    event.data.request.requestHash,
  );
  const base = { ...state, cardId: event.data.cardId, requests };
  switch (event.type) {
    case 'CardLocked': {
      const { date, dateUtc, reason, reasonKind } = event.data;
      const isNewest = state.newest === null || dateUtc >= state.newest.dateUtc;
      return {
        ...base,
        newest: isNewest ? { notification: 'cardLocked', date, dateUtc } : state.newest,
        lock: { reason, reasonKind, date, dateUtc },
        irreversiblySince:
          reasonKind === 'irreversible'
            ? earliest(state.irreversiblySince, { date, dateUtc })
            : state.irreversiblySince,
      };
    }
    case 'CardUnlocked': {
      const { date, dateUtc } = event.data;
      return { ...base, newest: { notification: 'cardUnlocked', date, dateUtc }, lock: null };
    }
    case 'CardNotificationSuperseded':
      return base;
    case 'CardUnlockAnomalyRecorded':
      return { ...base, anomalies: state.anomalies + 1 };
    default:
      return assertNever(event);
  }
}

function earliest(current: NotificationDate | null, candidate: NotificationDate): NotificationDate {
  return current === null || candidate.dateUtc < current.dateUtc ? candidate : current;
}
