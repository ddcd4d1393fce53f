import type { RequestRef } from '@app/shared-kernel';

/**
 * One OTP delivery:
 * - `unknown`: nothing recorded yet;
 * - `pending`: accepted, the code waits in the outbox;
 * - `delivered` / `failed`: final; the code is (being) deleted.
 */
export type OtpDeliveryStatus = 'unknown' | 'pending' | 'delivered' | 'failed';

export interface OtpDeliveryState {
  readonly status: OtpDeliveryStatus;
  readonly deliveryId: string | null;
  /** The request that asked for it: a repeat is answered as it was, a reuse is refused. */
  readonly request: RequestRef | null;
}

export function initialOtpDeliveryState(): OtpDeliveryState {
  return { status: 'unknown', deliveryId: null, request: null };
}
