import { isIso4217Currency } from '@app/shared-kernel';

/**
 * DOMAIN.md section 1: lenient where a rejection costs money. Parsers for the values Antaca
 * sends in more than one shape; each returns undefined for a value it cannot accept.
 */

/** Any RFC 4122 layout, any version (the seeds' own examples are v1); stored lower case. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OPAQUE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function parseUuid(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return UUID.test(lower) ? lower : undefined;
}

/** User, card and resource ids: 1-64 of `[A-Za-z0-9._:-]`; JSON numbers become decimal strings. */
export function parseOpaqueId(value: unknown): string | undefined {
  const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  return typeof text === 'string' && OPAQUE_ID.test(text) ? text : undefined;
}

/** Antaca's lifecycle `id` and network ids: any string of 1-64 characters (numbers accepted). */
export function parseLooseId(value: unknown): string | undefined {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && text.length >= 1 && text.length <= 64 ? text : undefined;
}

/** Minor units: a non-negative safe integer, or a JSON string of digits (`"1000"`). */
export function parseAmountMinor(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

/** ISO 4217 alphabetic code from the real list, any case; stored upper case. */
export function parseCurrency(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  return isIso4217Currency(upper) ? upper : undefined;
}
