import type { CardTransaction } from '@app/balances';
import { isoDateTime, jsonObject, LenientField, text } from '../../http/lenient-field';
import { parseAmountMinor, parseCurrency, parseLooseId, parseOpaqueId, parseUuid } from '../../http/lenient';
import { validateDto } from '../../http/validate-dto';

/**
 * Antaca's transaction object (seeds: "Transaction object"), the body of every
 * `/transactions/*` request. Only these fields are bound; the body as received is kept whole
 * in the recorded event.
 */
export class CardTransactionRequestDto {
  @LenientField(parseLooseId, { required: true }) id!: string;
  @LenientField(parseUuid, { required: true }) balanceId!: string;
  @LenientField(parseOpaqueId, { required: false }) resourceId?: string;
  @LenientField(text(32), { required: false }) resource?: string;
  @LenientField(parseLooseId, { required: false }) transactionId?: string;
  @LenientField(parseLooseId, { required: false }) referenceTransactionId?: string;
  @LenientField(text(64), { required: true }) type!: string;
  @LenientField(parseAmountMinor, { required: true }) amount!: number;
  @LenientField(parseCurrency, { required: true }) currency!: string;
  @LenientField(parseAmountMinor, { required: false }) originalAmount?: number;
  @LenientField(parseCurrency, { required: false }) originalCurrency?: string;
  @LenientField(text(32), { required: true }) status!: string;
  @LenientField(text(1024), { required: false }) description?: string;
  @LenientField(isoDateTime, { required: false }) date?: string;
  @LenientField(jsonObject, { required: false }) transactionData?: Record<string, unknown>;
}

/**
 * The decision-relevant facts of a body that passed validation, or of a forced one whose
 * essential fields did: the same lenient parsers, with defaults for what is missing or bad.
 */
function readCardTransaction(raw: Record<string, unknown>): CardTransaction {
  const transactionData = jsonObject(raw.transactionData);
  const isCardResource = typeof raw.resource === 'string' && raw.resource.toLowerCase() === 'card';
  return {
    lifecycleId: parseLooseId(raw.id)!,
    transactionId: parseLooseId(raw.transactionId) ?? null,
    referenceTransactionId: parseLooseId(raw.referenceTransactionId) ?? null,
    type: (text(64)(raw.type) ?? 'unknown').toLowerCase(),
    amountMinor: parseAmountMinor(raw.amount)!,
    // An unknown currency never equals the balance's, so a forced request with one goes to suspense.
    currency: parseCurrency(raw.currency) ?? String(raw.currency).slice(0, 8),
    status: (text(32)(raw.status) ?? 'UNKNOWN').toUpperCase(),
    cardId:
      parseOpaqueId(transactionData?.cardId) ??
      (isCardResource ? (parseOpaqueId(raw.resourceId) ?? null) : null),
  };
}

export type ParsedCardTransaction =
  | { readonly kind: 'valid'; readonly balanceId: string; readonly transaction: CardTransaction }
  | { readonly kind: 'invalid'; readonly fields: string[] };

/** For the endpoints that may refuse: every field must be right. */
export function parseCardTransaction(body: unknown): ParsedCardTransaction {
  const result = validateDto(CardTransactionRequestDto, body);
  if (!result.ok) return { kind: 'invalid', fields: result.fields };
  return {
    kind: 'valid',
    balanceId: result.value.balanceId,
    transaction: readCardTransaction(body as Record<string, unknown>),
  };
}

/**
 * For the forced endpoints, which must not refuse: as long as `id`, `balanceId` and `amount`
 * are usable the request is applied (other bad fields are defaulted and reported in
 * `problems`; a bad currency cannot be checked, so it sends the request to suspense).
 */
export type ParsedForcedTransaction =
  | {
      readonly kind: 'usable';
      readonly balanceId: string;
      readonly transaction: CardTransaction;
      readonly problems: string[];
    }
  | { readonly kind: 'unusable'; readonly fields: string[] };

const ESSENTIAL = ['id', 'balanceId', 'amount'];

export function parseForcedTransaction(body: unknown): ParsedForcedTransaction {
  const result = validateDto(CardTransactionRequestDto, body);
  const problems = result.ok ? [] : result.fields;
  if (problems.some((field) => field === 'body' || ESSENTIAL.includes(field)))
    return { kind: 'unusable', fields: problems };
  const raw = body as Record<string, unknown>;
  return {
    kind: 'usable',
    balanceId: parseUuid(raw.balanceId)!,
    transaction: readCardTransaction(raw),
    problems,
  };
}
