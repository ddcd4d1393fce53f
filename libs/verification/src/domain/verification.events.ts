import type { DomainEvent } from '@app/shared-kernel';
import type { NotificationRequest, RejectionReason, VerificationStatus } from './kyc';

/** The person a notification names, as sent (kept for the record; the user stream holds the user). */
export interface NotifiedUser {
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
}

/** Fields every event of a verification stream carries: which notification, and what it said. */
interface FromNotification {
  readonly verificationId: string;
  readonly userId: string;
  readonly status: VerificationStatus;
  readonly reason: RejectionReason | null;
  readonly user: NotifiedUser;
  readonly request: NotificationRequest;
  /** The body as received, unknown fields included; never bound to anything. */
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * The verification's status moved to `status`. `sequence` counts the changes of this
 * verification (1 for the first): the user's KYC applies them in this order, whatever order
 * they reach it in. `previous` is the status it replaced (`null` for the first notification);
 * a decision replacing the opposite decision (REJECTED after ACCEPTED, or the reverse) is a
 * re-review by Antaca and is kept in full.
 */
export type VerificationStatusChanged = DomainEvent<
  'VerificationStatusChanged',
  FromNotification & {
    readonly sequence: number;
    readonly previous: {
      readonly status: VerificationStatus;
      readonly reason: RejectionReason | null;
    } | null;
  }
>;

/**
 * Why a notification was recorded without changing anything:
 * - `LATE_IN_PROGRESS`: IN_PROGRESS after the verification was decided (a late delivery);
 * - `UNCHANGED`: the status and reason it already has, from another request;
 * - `OTHER_USER`: the verification belongs to another user (an anomaly for support to look at).
 */
export type IgnoredBecause = 'LATE_IN_PROGRESS' | 'UNCHANGED' | 'OTHER_USER';

/** A notification recorded (so its key is known for good) that changed nothing. */
export type VerificationNotificationIgnored = DomainEvent<
  'VerificationNotificationIgnored',
  FromNotification & { readonly because: IgnoredBecause }
>;

export type VerificationEvent = VerificationStatusChanged | VerificationNotificationIgnored;
