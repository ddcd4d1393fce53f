import type { CardLockReasonKind } from './card-lock-reasons';
import type { CardNotificationName } from './card.events';

/** A notification's date: as sent, and as a UTC instant (`toISOString`, so strings sort in time order). */
export interface NotificationDate {
  readonly date: string;
  readonly dateUtc: string;
}

/** The lock in effect. */
export interface CardLock extends NotificationDate {
  /** Upper-case code; `reasonKind` says whether the seeds list it and whether it can be lifted. */
  readonly reason: string;
  readonly reasonKind: CardLockReasonKind;
}

/**
 * One card (stream `card-<dcCardId>`) as its notifications left it. Plain data, rebuilt by
 * folding the stream: `evolve` copies, never mutates (a card's stream is a handful of events).
 */
export interface CardState {
  /** `null` until the first notification. */
  readonly cardId: string | null;
  /**
   * The newest-dated notification that took effect: a later arrival dated before it is
   * only recorded. A late irreversible lock takes effect without moving it.
   */
  readonly newest: (NotificationDate & { readonly notification: CardNotificationName }) | null;
  /** The lock in effect; `null` while the card is unlocked (or never locked). */
  readonly lock: CardLock | null;
  /**
   * Date of the earliest irreversible lock that took effect: from then on the card stays
   * locked, and an unlock dated after it is an anomaly. `null` while the card can be unlocked.
   */
  readonly irreversiblySince: NotificationDate | null;
  /** How many unlock anomalies were recorded. */
  readonly anomalies: number;
  /** Request hash by idempotency key, of every request recorded: a repeat decides nothing. */
  readonly requests: ReadonlyMap<string, string>;
}

export function initialCardState(): CardState {
  return {
    cardId: null,
    newest: null,
    lock: null,
    irreversiblySince: null,
    anomalies: 0,
    requests: new Map(),
  };
}
