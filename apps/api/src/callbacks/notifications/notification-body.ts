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

/**
 * A lock reason code (card locks, transactional lock reasons): 1-100 characters, recorded
 * upper-case so `fraud_suspected` and `FRAUD_SUSPECTED` are one reason. Codes the seeds do
 * not list are accepted: refusing a lock would lose it.
 */
export function parseReasonCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim();
  return code.length >= 1 && code.length <= 100 ? code.toUpperCase() : undefined;
}

/**
 * The UTC instant of a date already accepted by `isoDateTime`, as `toISOString` writes it
 * (fixed width, so these strings sort in time order): notifications are ordered by it.
 */
export function utcInstantOf(date: string): string {
  return new Date(date).toISOString();
}
