/**
 * DOMAIN.md 7: secrets never reach events; card numbers, if ever present, keep only their
 * last four digits. Request bodies are recorded as received (Antaca adds fields over time),
 * so they pass through here first.
 */

/** Fields whose value is a secret: dropped, only the fact that it was there is kept. */
const SECRET_FIELD = /^(cvv2?|cvc2?|pin|otp|password|secret|token|privateKey|private_key)$/i;
/** Fields that hold a card number: masked to the last four digits. */
const CARD_NUMBER_FIELD = /^(pan|cardNo|card_no|cardNumber|card_number)$/i;
/** Ids are never card numbers; masking a numeric id would break matching. */
const ID_FIELD = /(^id$|Id$|_id$)/;
/** A run of 13-19 digits, possibly grouped by single spaces or dashes, as card numbers are written. */
const DIGIT_RUN = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g;

export const REMOVED_SECRET = '[removed]';

/** A copy of a JSON value with secrets removed and card numbers masked. */
export function withoutSecrets(value: unknown, field = ''): unknown {
  if (typeof value === 'string' || typeof value === 'number') {
    if (SECRET_FIELD.test(field)) return REMOVED_SECRET;
    if (CARD_NUMBER_FIELD.test(field)) return maskCardNumber(String(value));
    return typeof value === 'string' && !ID_FIELD.test(field) ? maskCardNumbersIn(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, field));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutSecrets(item, key)]));
  }
  return value;
}

/** Free text with every Luhn-valid card number in it masked to its last four digits. */
export function maskCardNumbersIn(text: string): string {
  return text.replace(DIGIT_RUN, (run) => (passesLuhn(run.replace(/\D/g, '')) ? maskCardNumber(run) : run));
}

function maskCardNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length <= 4 ? '****' : `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
