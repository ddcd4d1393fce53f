import type { DomainEvent, RequestBody, RequestRef } from '@app/shared-kernel';
import type { CardLockReasonKind } from './card-lock-reasons';

/** Every event of a card stream names the card and the request that produced it. */
type CardEventOf<TType extends string, TData extends object> = DomainEvent<
  TType,
  TData & { readonly cardId: string; readonly request: RequestRef }
>;

/** Which notification a record is about. */
export type CardNotificationName = 'cardLocked' | 'cardUnlocked';

/**
 * The card is locked for `reason` since `date`. Either the newest notification so far, or an
 * irreversible lock arriving late (older than the newest): irreversibility outranks dates.
 */
export type CardLocked = CardEventOf<
  'CardLocked',
  {
    date: string;
    dateUtc: string;
    reason: string;
    reasonKind: CardLockReasonKind;
    body: RequestBody;
  }
>;

/** The card is unlocked since `date`: the newest notification so far, and no irreversible lock. */
export type CardUnlocked = CardEventOf<'CardUnlocked', { date: string; dateUtc: string; body: RequestBody }>;

/**
 * A notification recorded without changing the card. `cause`: `older-than-current`, dated at
 * or before the notification the card's state comes from (or, for an unlock, at or before
 * the irreversible lock); `irreversibly-locked`, a reversible or unknown lock of a card that
 * an irreversible lock already ended, whose reason stays.
 */
export type CardNotificationSuperseded = CardEventOf<
  'CardNotificationSuperseded',
  {
    notification: CardNotificationName;
    date: string;
    dateUtc: string;
    /** The lock's reason; null for an unlock. */
    reason: string | null;
    cause: 'older-than-current' | 'irreversibly-locked';
    body: RequestBody;
  }
>;

/**
 * An unlock dated after an irreversible lock: the card stays locked, and support must look.
 * Recorded when such an unlock arrives (with its body), or when the irreversible lock arrives
 * late, after an unlock dated after it had already been applied (`body: null`: that unlock
 * was recorded as `CardUnlocked`; this names it).
 */
export type CardUnlockAnomalyRecorded = CardEventOf<
  'CardUnlockAnomalyRecorded',
  {
    unlockDate: string;
    unlockDateUtc: string;
    /** The lock that keeps the card locked: the one in effect, or the late irreversible one. */
    lockReason: string;
    lockDate: string;
    lockDateUtc: string;
    body: RequestBody | null;
  }
>;

/** Events of one card's stream, `card-<dcCardId>`. */
export type CardEvent = CardLocked | CardUnlocked | CardNotificationSuperseded | CardUnlockAnomalyRecorded;
