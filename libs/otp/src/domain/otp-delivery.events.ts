import type { DomainEvent, RequestRef } from '@app/shared-kernel';

/** What the OTP is about (seeds: 3DS External OTP Notifier), without the code itself. */
export interface OtpFacts {
  /** `storageCardId` */
  readonly cardId: string;
  /** `storageCustomerId` */
  readonly customerId: string;
  readonly balanceId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly merchantName: string;
}

/** Where a code went: the client's webhook (production) or the dev inbox (local runs). */
export type OtpChannel = 'webhook' | 'dev-inbox';

export type OtpDeliveryFailure =
  /** The webhook kept failing (network, timeout, 5xx, 429) for every allowed attempt. */
  | 'attempts-exhausted'
  /** The webhook answered a final refusal (a 4xx other than 408/425/429, or a redirect). */
  | 'rejected'
  /** The code's lifetime ended before it could be delivered. */
  | 'expired';

/**
 * An OTP was handed to us for delivery. Never the code: it lives, encrypted, in the outbox
 * until delivered or expired (DOMAIN.md 4 and 7).
 */
export type OtpDeliveryRequested = DomainEvent<
  'OtpDeliveryRequested',
  OtpFacts & {
    /** Stable across retries and restarts: the receiver dedupes on it. */
    readonly deliveryId: string;
    readonly request: RequestRef;
    /** ISO 8601 UTC. */
    readonly requestedAt: string;
    /** ISO 8601 UTC: after this the code is deleted, delivered or not. */
    readonly expiresAt: string;
  }
>;

export type OtpDelivered = DomainEvent<
  'OtpDelivered',
  {
    readonly deliveryId: string;
    readonly channel: OtpChannel;
    readonly deliveredAt: string;
    /** Webhook calls it took, the successful one included (1 for the dev inbox). */
    readonly attempts: number;
  }
>;

export type OtpDeliveryFailed = DomainEvent<
  'OtpDeliveryFailed',
  {
    readonly deliveryId: string;
    readonly reason: OtpDeliveryFailure;
    readonly failedAt: string;
    readonly attempts: number;
    /** What the last attempt got (`HTTP 503`, `timed out after 5000 ms`); never a body. */
    readonly lastError: string | null;
  }
>;

/** Events of one delivery's stream, `otp-<deliveryId>`. */
export type OtpDeliveryEvent = OtpDeliveryRequested | OtpDelivered | OtpDeliveryFailed;
