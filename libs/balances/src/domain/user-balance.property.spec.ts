import { replay, type RequestRef } from '@app/shared-kernel';
import fc from 'fast-check';
import type { CardTransaction } from './card-transaction';
import type { PolicyRefusal } from './refusal';
import type { UserBalanceCommand } from './user-balance.commands';
import { outcomeOf, userBalance, type RequestOutcome } from './user-balance.decider';
import type { UserBalanceEvent } from './user-balance.events';
import { availableMinor, type UserBalanceState } from './user-balance.state';

/**
 * Random histories of every command, with retries (same key, same request) and reused keys
 * (same key, another request), driven through decide + evolve exactly as the store's
 * `handle()` does. After every step: the figures agree with an independent fold of the money
 * deltas, a fold from scratch gives the same state, no hold is negative, and no refusable
 * debit took available below zero.
 */

type Unkeyed<T> = T extends UserBalanceCommand ? Omit<T, 'request'> : never;
type UnkeyedCommand = Unkeyed<UserBalanceCommand>;

/** A fresh command (with a unique key, or one of a few shared keys), or a retry of an earlier one. */
type Step =
  | { readonly kind: 'fresh'; readonly command: UnkeyedCommand; readonly sharedKey: string | null }
  | { readonly kind: 'retry'; readonly pick: number };

const policyRefusals: readonly PolicyRefusal[] = [
  { reason: 'LIMITS_EXCEEDED', detail: 'Daily limit reached' },
  { reason: 'FRAUDS_DETECTED', detail: 'Card locked' },
];

/** Few distinct amounts, so that clearings and reversals often match what was held. */
const amount = fc.oneof(
  { arbitrary: fc.constantFrom(0, 20, 50, 100), weight: 3 },
  { arbitrary: fc.nat(200), weight: 1 },
);
const currency = fc.oneof(
  { arbitrary: fc.constant('PLN'), weight: 9 },
  { arbitrary: fc.constant('EUR'), weight: 1 },
);
const networkId = fc.option(fc.constantFrom('N1', 'N2', 'N3'), { freq: 4 });

const transaction: fc.Arbitrary<CardTransaction> = fc.record({
  lifecycleId: fc.constantFrom('L1', 'L2', 'L3', 'L4', 'L5'),
  transactionId: networkId,
  referenceTransactionId: networkId,
  type: fc.constantFrom('pos', 'atm', 'adjustment'),
  amountMinor: amount,
  currency,
  status: fc.constantFrom('AUTHORIZED', 'AUTHORIZED', 'CLEARED', 'REVERSED', 'PENDING'),
  cardId: fc.constant('222'),
});

const card = transaction.map((parsed) => ({ transaction: parsed, body: { id: parsed.lifecycleId } }));
/** Mostly none: rules 3-5 pass. */
const policyRefusal = fc.oneof(
  { arbitrary: fc.constant(null), weight: 6 },
  { arbitrary: fc.constantFrom(...policyRefusals), weight: 1 },
);
const userId = fc.oneof(
  { arbitrary: fc.constant('u1'), weight: 9 },
  { arbitrary: fc.constant('u2'), weight: 1 },
);

const command: fc.Arbitrary<UnkeyedCommand> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('LinkBalance' as const),
      balanceId: fc.constant('b-1'),
      userId,
      currency,
      userKnown: fc.oneof(
        { arbitrary: fc.constant(true), weight: 9 },
        { arbitrary: fc.constant(false), weight: 1 },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('UnlinkBalance' as const), userId }) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(card, policyRefusal)
      .map(([request, refusal]) => ({ type: 'Debit' as const, ...request, policyRefusal: refusal })),
  },
  { weight: 3, arbitrary: card.map((request) => ({ type: 'ForceDebit' as const, ...request })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(card, policyRefusal)
      .map(([request, refusal]) => ({ type: 'Credit' as const, ...request, policyRefusal: refusal })),
  },
  { weight: 3, arbitrary: card.map((request) => ({ type: 'ForceCredit' as const, ...request })) },
  { weight: 3, arbitrary: card.map((request) => ({ type: 'Reverse' as const, ...request })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(card, fc.constantFrom('N1', 'N2', 'N3', 'N9'))
      .map(([request, path]) => ({ type: 'Clear' as const, ...request, pathTransactionId: path })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constantFrom('OperatorCredit' as const, 'OperatorDebit' as const),
      amountMinor: fc.nat(500),
      reason: fc.constant('correction'),
      reference: fc.constant('REF-1'),
    }),
  },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('fresh' as const),
      command,
      sharedKey: fc.oneof(
        { arbitrary: fc.constant(null), weight: 8 },
        { arbitrary: fc.constantFrom('shared-1', 'shared-2'), weight: 1 },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }) },
);

/** Most histories start on a linked balance, so that money moves; some never get linked. */
const opening: Step = {
  kind: 'fresh',
  command: { type: 'LinkBalance', balanceId: 'b-1', userId: 'u1', currency: 'PLN', userKnown: true },
  sharedKey: null,
};
const histories: fc.Arbitrary<Step[]> = fc
  .tuple(
    fc.oneof({ arbitrary: fc.constant([opening]), weight: 9 }, { arbitrary: fc.constant([]), weight: 1 }),
    fc.array(step, { minLength: 1, maxLength: 59, size: 'max' }),
  )
  .map(([start, rest]) => [...start, ...rest]);

/** The money figures folded independently of the decider: the sum of each event's deltas. */
interface Ledger {
  bookedMinor: number;
  holdsMinor: number;
}

function post(ledger: Ledger, event: UserBalanceEvent): void {
  switch (event.type) {
    case 'FundsHeld':
      ledger.holdsMinor += event.data.amountMinor;
      break;
    case 'HoldReleased':
      ledger.holdsMinor -= event.data.amountMinor;
      break;
    case 'TransactionCleared':
      ledger.holdsMinor -= event.data.heldMinor;
      ledger.bookedMinor -= event.data.heldMinor;
      break;
    case 'FundsCredited':
    case 'OperatorCredited':
      ledger.bookedMinor += event.data.amountMinor;
      break;
    case 'FundsDebited':
    case 'CreditReversed':
    case 'OperatorDebited':
      ledger.bookedMinor -= event.data.amountMinor;
      break;
    default:
      break;
  }
}

function withRequest(unkeyed: UnkeyedCommand, request: RequestRef): UserBalanceCommand {
  return { ...unkeyed, request };
}

/**
 * Fails with `message` (and fast-check's counterexample) when `holds` is false. Plain checks
 * instead of `expect` on every step keep the thousands of steps of a run fast.
 */
function check(holds: boolean, message: () => string): void {
  if (!holds) throw new Error(message());
}

/** A comparable picture of a whole state, collections included. */
function snapshot(state: UserBalanceState): string {
  return JSON.stringify({
    ...state,
    lifecycles: [...state.lifecycles],
    lifecycleIdsByTransactionId: [...state.lifecycleIdsByTransactionId],
    requests: [...state.requests],
  });
}

function checkInvariants(
  state: UserBalanceState,
  ledger: Ledger,
  history: readonly UserBalanceEvent[],
): void {
  const figures = { bookedMinor: state.bookedMinor, holdsMinor: state.holdsMinor };
  check(
    availableMinor(state) === state.bookedMinor - state.holdsMinor,
    () => 'available is not booked - holds',
  );
  check(
    figures.bookedMinor === ledger.bookedMinor && figures.holdsMinor === ledger.holdsMinor,
    () => `figures ${JSON.stringify(figures)} differ from the sum of movements ${JSON.stringify(ledger)}`,
  );
  check(state.holdsMinor >= 0, () => `holds went negative: ${state.holdsMinor}`);
  let lifecycleHolds = 0;
  for (const lifecycle of state.lifecycles.values()) {
    check(lifecycle.heldMinor >= 0, () => `lifecycle ${lifecycle.lifecycleId} holds ${lifecycle.heldMinor}`);
    lifecycleHolds += lifecycle.heldMinor;
  }
  check(
    lifecycleHolds === state.holdsMinor,
    () => `lifecycles hold ${lifecycleHolds}, the balance ${state.holdsMinor}`,
  );
  const refolded = snapshot(replay(userBalance, history));
  const incremental = snapshot(state);
  check(refolded === incremental, () => `a fold from scratch gives\n${refolded}\nnot\n${incremental}`);
}

const FORCED = new Set(['ForceDebit', 'ForceCredit', 'Reverse']);

describe('UserBalance decider, over random histories', () => {
  it('keeps the figures, the replay and the idempotency guarantees after every command', () => {
    fc.assert(
      fc.property(histories, (generated) => {
        let state = userBalance.initialState();
        const ledger: Ledger = { bookedMinor: 0, holdsMinor: 0 };
        const history: UserBalanceEvent[] = [];
        const sent: UserBalanceCommand[] = [];
        const firstAnswers = new Map<string, RequestOutcome>();

        generated.forEach((next, index) => {
          let current: UserBalanceCommand;
          if (next.kind === 'retry') {
            const earlier = sent[next.pick % Math.max(sent.length, 1)];
            if (earlier === undefined) return;
            current = earlier;
          } else {
            const requestHash = JSON.stringify(next.command);
            current = withRequest(next.command, {
              idempotencyKey: next.sharedKey ?? `key-${index}`,
              requestHash,
            });
            sent.push(current);
          }
          const { request } = current;
          const known = outcomeOf(state, request);
          const availableBefore = availableMinor(state);

          const events = userBalance.decide(current, state);

          check(known.kind === 'none' || events.length === 0, () => 'a recorded key was processed again');
          check(
            !FORCED.has(current.type) || events.every((event) => event.type !== 'RequestRefused'),
            () => `${current.type} was refused`,
          );
          for (const event of events) {
            if ((event.type === 'FundsHeld' && !event.data.forced) || event.type === 'OperatorDebited') {
              const { amountMinor } = event.data;
              check(
                availableBefore >= amountMinor,
                () => `${event.type} ${amountMinor} with ${availableBefore} available`,
              );
            }
            check(event.data.request === request, () => `${event.type} does not carry its request`);
            state = userBalance.evolve(state, event);
            post(ledger, event);
            history.push(event);
          }

          const answer = outcomeOf(state, request);
          const first = firstAnswers.get(request.idempotencyKey);
          if (first === undefined) {
            check(events.length === 0 || answer.kind === 'accepted' || answer.kind === 'refused', () => {
              return `${current.type} recorded no outcome`;
            });
            if (answer.kind !== 'none') firstAnswers.set(request.idempotencyKey, answer);
          } else if (known.kind === 'reused') {
            check(answer.kind === 'reused', () => `a reused key was answered ${answer.kind}`);
          } else {
            // The same request again: answered word for word as the first time.
            check(JSON.stringify(answer) === JSON.stringify(first), () => {
              return `a retry was answered ${JSON.stringify(answer)}, first ${JSON.stringify(first)}`;
            });
          }

          checkInvariants(state, ledger, history);
        });
      }),
      { numRuns: 200 },
    );
  });
});
