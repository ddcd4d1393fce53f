import type { OtpChannel, OtpDeliveryFailure, OtpDeliveryRequested } from './otp-delivery.events';

/** Accept an OTP for delivery (the notifier request, or the outbox worker repairing a crash). */
export interface RequestOtpDelivery {
  readonly type: 'RequestOtpDelivery';
  readonly delivery: OtpDeliveryRequested['data'];
}

export interface RecordOtpDelivered {
  readonly type: 'RecordOtpDelivered';
  readonly channel: OtpChannel;
  readonly deliveredAt: string;
  readonly attempts: number;
}

export interface RecordOtpDeliveryFailed {
  readonly type: 'RecordOtpDeliveryFailed';
  readonly reason: OtpDeliveryFailure;
  readonly failedAt: string;
  readonly attempts: number;
  readonly lastError: string | null;
}

export type OtpDeliveryCommand = RequestOtpDelivery | RecordOtpDelivered | RecordOtpDeliveryFailed;
