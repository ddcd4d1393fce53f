import type { OtpFacts } from '@app/otp';
import { UnreadableBody } from '../../http/json-body';
import { parseAmountMinor, parseCurrency, parseOpaqueId, parseUuid } from '../../http/lenient';

/** Longer than any merchant name or one-time password seen; a bound, not a format. */
const MAX_MERCHANT_NAME_CHARS = 200;
const MAX_OTP_CHARS = 64;

export type ParsedOtpNotification =
  | { readonly kind: 'valid'; readonly facts: OtpFacts; readonly otp: string }
  | { readonly kind: 'invalid'; readonly fields: readonly string[] };

/**
 * The 3DS External OTP Notifier body. Lenient where the seeds are (ids and amounts as numbers
 * or digit strings, any UUID version, currency in any case), strict where a wrong value would
 * send a code about the wrong thing. Unknown fields are ignored, never bound.
 */
export function parseOtpNotification(body: unknown): ParsedOtpNotification {
  if (body instanceof UnreadableBody || typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { kind: 'invalid', fields: ['body'] };
  }
  const fields = body as Record<string, unknown>;
  const parsed = {
    storageCustomerId: parseOpaqueId(fields.storageCustomerId),
    storageCardId: parseOpaqueId(fields.storageCardId),
    balanceId: parseUuid(fields.balanceId),
    amount: parseAmountMinor(fields.amount),
    currency: parseCurrency(fields.currency),
    merchantName: nonEmptyText(fields.merchantName, MAX_MERCHANT_NAME_CHARS),
    otp: nonEmptyText(fields.otp, MAX_OTP_CHARS),
  };
  const invalid = Object.entries(parsed)
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  const { storageCustomerId, storageCardId, balanceId, amount, currency, merchantName, otp } = parsed;
  if (
    storageCustomerId === undefined ||
    storageCardId === undefined ||
    balanceId === undefined ||
    amount === undefined ||
    currency === undefined ||
    merchantName === undefined ||
    otp === undefined
  ) {
    return { kind: 'invalid', fields: invalid };
  }
  return {
    kind: 'valid',
    facts: {
      cardId: storageCardId,
      customerId: storageCustomerId,
      balanceId,
      amountMinor: amount,
      currency,
      merchantName,
    },
    otp,
  };
}

function nonEmptyText(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= max ? value : undefined;
}
