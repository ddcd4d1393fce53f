/**
 * The lock reasons of the seeds ("External Card Block Notifier"). Four of them end the
 * card's life: Antaca will not lift them, so an unlock dated after one is an anomaly
 * (DOMAIN.md 4), never a reason to let the card spend again.
 */
export const IRREVERSIBLE_CARD_LOCK_REASONS = [
  'CARD_LOST',
  'CARD_STOLEN',
  'CARD_INACTIVE',
  'CARD_REPLACED',
] as const;

export const REVERSIBLE_CARD_LOCK_REASONS = [
  'PENDING_QUERY',
  'CARD_CONSOLIDATION',
  'PIN_TRIES_EXCEEDED',
  'SUSPECTED_FRAUD',
] as const;

/**
 * `unknown`: a reason the seeds do not list (Antaca adds values over time). It locks the card
 * like any reversible reason: a lock is a lock whatever its cause, and calling it irreversible
 * without knowing would keep a card dead that Antaca later unlocks on purpose.
 */
export type CardLockReasonKind = 'irreversible' | 'reversible' | 'unknown';

const IRREVERSIBLE: ReadonlySet<string> = new Set(IRREVERSIBLE_CARD_LOCK_REASONS);
const REVERSIBLE: ReadonlySet<string> = new Set(REVERSIBLE_CARD_LOCK_REASONS);

/** `reason` is an upper-case code (the HTTP layer normalises it). */
export function cardLockReasonKind(reason: string): CardLockReasonKind {
  if (IRREVERSIBLE.has(reason)) return 'irreversible';
  return REVERSIBLE.has(reason) ? 'reversible' : 'unknown';
}
