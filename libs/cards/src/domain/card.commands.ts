import type { RequestBody, RequestRef } from '@app/shared-kernel';

/** What every card notification carries, as parsed from Antaca's body. */
interface CardNotification {
  /** Idempotency key and request hash: a repeat is recognised from the card's own events. */
  readonly request: RequestRef;
  /** Antaca's `dcCardId` (an opaque id, DOMAIN.md 1). */
  readonly cardId: string;
  /** The notification's own `date`, as sent (ISO 8601 with offset). */
  readonly date: string;
  /** The same instant in UTC (`Date.prototype.toISOString`): notifications are ordered by it. */
  readonly dateUtc: string;
  /** The body as received, unknown fields included (DOMAIN.md 1). */
  readonly body: RequestBody;
}

/** `POST /notifications/cardLocked`. `reason` is an upper-case code, possibly one the seeds do not list. */
export interface LockCard extends CardNotification {
  readonly type: 'LockCard';
  readonly reason: string;
}

/** `POST /notifications/cardUnlocked`. */
export interface UnlockCard extends CardNotification {
  readonly type: 'UnlockCard';
}

export type CardCommand = LockCard | UnlockCard;
