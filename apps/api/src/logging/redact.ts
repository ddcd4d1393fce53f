const SECRET_KEYS =
  /^(otp|code|cvv|cvc|pin|password|secret|token|authorization|privatekey|private_key|payload|cardno|card_no|pan)$/i;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const COMPACT_JOSE = /\beyJ[\w-]{4,}\.[\w-]*\.[\w-]*(?:\.[\w-]*\.[\w-]*)?/g;
const CARD_NUMBER = /\b\d{9,15}(\d{4})\b/g;
/** A secret field inside JSON text (a body or an object serialized into a message): `"otp": "1111"`. */
const JSON_SECRET_FIELD =
  /("(?:otp|code|cvv|cvc|pin|password|secret|token)"\s*:\s*)("(?:[^"\\]|\\.)*"|\d+)/gi;

/**
 * Last line of defence for DOMAIN.md section 7: whatever reaches the log has its secrets
 * replaced. Code should not log secrets in the first place; this catches the mistakes.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactText(value.stack ?? value.message);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEYS.test(key) ? '[redacted]' : redact(item, depth + 1),
    ]),
  );
}

function redactText(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, '[redacted private key]')
    .replace(COMPACT_JOSE, '[redacted token]')
    .replace(JSON_SECRET_FIELD, '$1"[redacted]"')
    .replace(CARD_NUMBER, '******$1');
}
