import { maskCardNumbersIn, withoutSecrets } from '@app/shared-kernel';
import type { NotifiedStatus } from '@app/transactions';
import { UnreadableBody } from '../../http/json-body';
import { isoDateTime, jsonObject, text } from '../../http/lenient-field';
import { parseLooseId } from '../../http/lenient';

const STATUSES: readonly NotifiedStatus[] = ['SUCCESS', 'DECLINED', 'INVALID'];
const description = text(200);

/** A notification about one lifecycle (fields that failed validation are null and listed). */
export interface MatchedTransactionNotification {
  readonly kind: 'matched';
  readonly lifecycleId: string;
  readonly status: NotifiedStatus | null;
  readonly date: string | null;
  readonly description: string | null;
  readonly invalidFields: readonly string[];
  readonly transaction: Readonly<Record<string, unknown>>;
}

/** A notification with no usable `transaction.id`: it belongs to no lifecycle. */
export interface UnmatchedTransactionNotification {
  readonly kind: 'unmatched';
  readonly invalidFields: readonly string[];
  /** The parsed JSON, or the text of a body that was not JSON. */
  readonly body: unknown;
}

/**
 * The Legacy Transactions Notifier body (seeds: `status`, `date`, `description`,
 * `transaction`). Never refuses: the notifier accepts only 2xx answers, so what cannot be
 * read is named in `invalidFields` and kept, not rejected. The transaction object is kept as
 * sent (Antaca adds fields over time), less any secret (`withoutSecrets`); only its `id` is
 * bound, to find the lifecycle.
 */
export function parseTransactionNotification(
  body: unknown,
): MatchedTransactionNotification | UnmatchedTransactionNotification {
  if (body instanceof UnreadableBody)
    return { kind: 'unmatched', invalidFields: ['body'], body: maskCardNumbersIn(body.text) };
  const fields = jsonObject(body);
  if (fields === undefined || Array.isArray(body))
    return { kind: 'unmatched', invalidFields: ['body'], body: withoutSecrets(body) };

  const transaction = jsonObject(fields.transaction);
  const lifecycleId = transaction && parseLooseId(transaction.id);
  const status = parseStatus(fields.status);
  const date = isoDateTime(fields.date);
  const text = description(fields.description);
  const invalidFields = [
    ...(status === undefined ? ['status'] : []),
    ...(date === undefined ? ['date'] : []),
    ...(text === undefined ? ['description'] : []),
    ...(transaction === undefined ? ['transaction'] : lifecycleId === undefined ? ['transaction.id'] : []),
  ];
  if (transaction === undefined || lifecycleId === undefined)
    return { kind: 'unmatched', invalidFields, body: withoutSecrets(body) };
  return {
    kind: 'matched',
    lifecycleId,
    status: status ?? null,
    date: date ?? null,
    description: text ?? null,
    invalidFields,
    transaction: withoutSecrets(transaction) as Record<string, unknown>,
  };
}

function parseStatus(value: unknown): NotifiedStatus | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  return STATUSES.find((status) => status === upper);
}
