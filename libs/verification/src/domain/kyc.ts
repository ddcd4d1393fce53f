/** A verification's status as Antaca sends it (seeds: External Verification Notifier). */
export type VerificationStatus = 'IN_PROGRESS' | 'ACCEPTED' | 'REJECTED';

/** The five reasons a REJECTED verification may carry; nothing else is a rejection. */
export const REJECTION_REASONS = [
  'INVALID_CUSTOMER_DATA',
  'BLURRED_DOCUMENT_PHOTO',
  'INVALID_DOCUMENT_PHOTO',
  'BLURRED_SELFIE',
  'INVALID_SELFIE',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

export function isRejectionReason(value: string): value is RejectionReason {
  return (REJECTION_REASONS as readonly string[]).includes(value);
}

/**
 * What one notification says: a status, and for REJECTED its reason. ACCEPTED and
 * IN_PROGRESS carry no reason, so an impossible pair (REJECTED without one) cannot be built.
 */
export type VerificationVerdict =
  | { readonly status: 'IN_PROGRESS' | 'ACCEPTED'; readonly reason: null }
  | { readonly status: 'REJECTED'; readonly reason: RejectionReason };

/** A final decision of Antaca's KYC, as opposed to IN_PROGRESS. */
export function isDecision(status: VerificationStatus): status is 'ACCEPTED' | 'REJECTED' {
  return status !== 'IN_PROGRESS';
}

/**
 * The request a notification came in: its idempotency key (or `body:<hash>` without one) and
 * the hash of method, path and body. Same key and hash: a repeat; same key, other hash: a reuse.
 */
export interface NotificationRequest {
  readonly idempotencyKey: string;
  readonly requestHash: string;
}
