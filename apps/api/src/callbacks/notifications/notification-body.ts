/**
 * Notification routes whose controller decides what an unparseable body gets, instead of the
 * generic 400 INVALID_REQUEST: the OTP notifier answers 422 `{detail}` (the seeds' format), the
 * transaction notifier records it and answers 204 (it accepts only 2xx answers; anything else
 * makes Antaca resend the same bytes up to 5 times, to the same result).
 */
const HANDLE_UNREADABLE_BODY = new Set(['/notifications/otp', '/notifications/transaction']);

export function handlesUnreadableBody(path: string): boolean {
  return HANDLE_UNREADABLE_BODY.has(path);
}
