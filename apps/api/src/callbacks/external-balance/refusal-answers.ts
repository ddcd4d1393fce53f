import type { BalanceCommandOutcome, RefusalReason } from '@app/balances';
import { IDEMPOTENCY_KEY_REUSED, type Answer } from '@app/security';
import { noContent, problem } from '../../http/answer';

/** The status of each refusal, as the seeds define them. */
const STATUS: Record<RefusalReason, number> = {
  USER_NOT_FOUND: 404,
  BALANCE_NOT_FOUND: 404,
  TRANSACTION_NOT_FOUND: 404,
  FORBIDDEN: 403,
  CLIENT_ERROR: 409,
  BALANCE_NOT_EMPTY: 409,
  INSUFFICIENT_FUNDS: 422,
  LIMITS_EXCEEDED: 422,
  FRAUDS_DETECTED: 422,
};

/** The HTTP answer of a balance outcome: 204 when accepted, `{title, detail}` when refused. */
export function answerFor(outcome: BalanceCommandOutcome): Answer {
  switch (outcome.kind) {
    case 'accepted':
      return noContent;
    case 'reused':
      return IDEMPOTENCY_KEY_REUSED;
    case 'refused':
      return problem(STATUS[outcome.refusal.reason], outcome.refusal.reason, outcome.refusal.detail);
  }
}
