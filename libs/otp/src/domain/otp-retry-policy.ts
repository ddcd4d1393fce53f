/**
 * How the outbox retries a webhook delivery. An OTP is worth something for minutes only
 * (the 3DS challenge times out), so the tries are few and the backoff short.
 */
export const OTP_DELIVERY_MAX_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;

/**
 * The wait after the `failedAttempts`-th failure: exponential (500 ms doubling, at most 30 s)
 * with "equal jitter" (half fixed, half random), so retries of many codes after a receiver's
 * outage spread out instead of arriving together, and never come back at once.
 * `random` is in [0, 1) (injected: the policy stays pure).
 */
export function otpRetryDelayMs(failedAttempts: number, random: number): number {
  if (!Number.isSafeInteger(failedAttempts) || failedAttempts < 1) {
    throw new RangeError(`failedAttempts must be a positive integer, got ${failedAttempts}`);
  }
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failedAttempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
}

/** A webhook answer worth retrying: the receiver may do better later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
