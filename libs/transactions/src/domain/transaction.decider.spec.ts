import type { BalanceLinked, OperatorCredited, UserBalanceEvent } from '@app/balances';
import { replay } from '@app/shared-kernel';
import { given } from './testing/given';
import {
  BALANCE_ID,
  LIFECYCLE_ID,
  OTHER_BALANCE_ID,
  balanceCleared,
  cardTransaction,
  creditReversed,
  debitIgnoredAfterReversal,
  forcedRequestSuspended,
  fundsCredited,
  fundsDebited,
  fundsHeld,
  holdReleased,
  recordOutcome,
  recorded,
  requestRef,
  requestRefused,
  reversalRecorded,
} from './testing/transaction.fixtures';
import { lifecycleOf, type LifecycleBalanceEvent } from './transaction.commands';
import { transaction, transactionStream } from './transaction.decider';
import type { TransactionEvent } from './transaction.events';

const hold = (amountMinor: number, options?: Parameters<typeof fundsHeld>[1]) =>
  recordOutcome(fundsHeld(amountMinor, options));

/** A lifecycle with one authorized hold of `amountMinor`. */
const authorizedHold = (amountMinor = 100): TransactionEvent[] => [
  recorded('TransactionAuthorized', hold(amountMinor), { kind: 'debit', amountMinor, forced: false }),
];

describe('Transaction decider', () => {
  it('names the stream after the lifecycle id', () => {
    expect(transactionStream(LIFECYCLE_ID)).toBe(`transaction-${LIFECYCLE_ID}`);
  });

  describe('authorization', () => {
    it('records the first hold on an id as the authorization of its lifecycle', () => {
      const command = hold(100);
      const { state } = given([])
        .when(command)
        .then([
          recorded('TransactionAuthorized', command, { kind: 'debit', amountMinor: 100, forced: false }),
        ]);
      expect(state).toMatchObject({
        lifecycleId: LIFECYCLE_ID,
        status: 'AUTHORIZED',
        kind: 'debit',
        balanceIds: [BALANCE_ID],
        authorizedMinor: 100,
        heldMinor: 100,
        transactionIds: ['network-1'],
        appliedSourceEventIds: [command.sourceEventId],
      });
    });

    it('records a force-debit AUTHORIZED as a forced authorization', () => {
      const command = hold(70, { forced: true });
      given([])
        .when(command)
        .then([recorded('TransactionAuthorized', command, { kind: 'debit', amountMinor: 70, forced: true })]);
    });

    it('records a second hold on the same id as an incremental authorization that adds up', () => {
      const command = hold(30, { transaction: { transactionId: 'network-2' } });
      const { state } = given(authorizedHold(100))
        .when(command)
        .then([recorded('TransactionAdjusted', command, { kind: 'debit', amountMinor: 30, forced: false })]);
      expect(state).toMatchObject({
        status: 'AUTHORIZED',
        authorizedMinor: 130,
        heldMinor: 130,
        transactionIds: ['network-1', 'network-2'],
      });
    });

    it('records a credit as the authorization of a money-in lifecycle', () => {
      const command = recordOutcome(fundsCredited(500));
      const { state } = given([])
        .when(command)
        .then([
          recorded('TransactionAuthorized', command, { kind: 'credit', amountMinor: 500, forced: false }),
        ]);
      expect(state).toMatchObject({ status: 'AUTHORIZED', kind: 'credit', creditedMinor: 500, heldMinor: 0 });
    });

    it('authorizes a lifecycle whose earlier debit was declined', () => {
      const refused = recordOutcome(requestRefused('INSUFFICIENT_FUNDS'));
      const command = hold(100);
      const { state } = given([
        recorded('TransactionDeclined', refused, {
          command: 'Debit',
          reason: 'INSUFFICIENT_FUNDS',
          detail: 'refused: INSUFFICIENT_FUNDS',
        }),
      ])
        .when(command)
        .then([
          recorded('TransactionAuthorized', command, { kind: 'debit', amountMinor: 100, forced: false }),
        ]);
      expect(state).toMatchObject({ status: 'AUTHORIZED', heldMinor: 100 });
    });

    it('records a hold of the same id on another balance as an adjustment, and both balances', () => {
      const command = recordOutcome(fundsHeld(40), { balanceId: OTHER_BALANCE_ID });
      const { state } = given(authorizedHold(100))
        .when(command)
        .then([recorded('TransactionAdjusted', command, { kind: 'debit', amountMinor: 40, forced: false })]);
      expect(state).toMatchObject({ balanceIds: [BALANCE_ID, OTHER_BALANCE_ID], heldMinor: 140 });
    });
  });

  describe('clearing', () => {
    it('turns the hold into booked money when cleared for the held amount', () => {
      const command = recordOutcome(balanceCleared(100, 100));
      const { state } = given(authorizedHold(100))
        .when(command)
        .then([
          recorded('TransactionCleared', command, {
            settlement: 'clearing',
            heldMinor: 100,
            clearedMinor: 100,
            debitedMinor: 0,
            mismatch: false,
          }),
        ]);
      expect(state).toMatchObject({ status: 'CLEARED', heldMinor: 0, clearedMinor: 100, mismatch: false });
    });

    it('flags a clearing for another amount than held, without moving the difference', () => {
      const command = recordOutcome(balanceCleared(100, 120));
      const { state } = given(authorizedHold(100))
        .when(command)
        .then([
          recorded('TransactionCleared', command, {
            settlement: 'clearing',
            heldMinor: 100,
            clearedMinor: 120,
            debitedMinor: 0,
            mismatch: true,
          }),
        ]);
      expect(state).toMatchObject({ status: 'CLEARED', heldMinor: 0, clearedMinor: 120, mismatch: true });
    });

    it('records a force-debit CLEARED that held nothing as a direct debit, cleared at once', () => {
      const command = recordOutcome(fundsDebited(250));
      const { state } = given([])
        .when(command)
        .then([
          recorded('TransactionCleared', command, {
            settlement: 'direct-debit',
            heldMinor: 0,
            clearedMinor: 250,
            debitedMinor: 250,
            mismatch: false,
          }),
        ]);
      expect(state).toMatchObject({ status: 'CLEARED', kind: 'debit', debitedMinor: 250, clearedMinor: 250 });
    });

    it('keeps the first cleared amount when a second clearing arrives', () => {
      const first = recordOutcome(balanceCleared(100, 100));
      const second = recordOutcome(balanceCleared(0, 90, { mismatch: true }));
      const { state } = given([
        ...authorizedHold(100),
        recorded('TransactionCleared', first, {
          settlement: 'clearing',
          heldMinor: 100,
          clearedMinor: 100,
          debitedMinor: 0,
          mismatch: false,
        }),
      ])
        .when(second)
        .then([
          recorded('TransactionCleared', second, {
            settlement: 'clearing',
            heldMinor: 0,
            clearedMinor: 90,
            debitedMinor: 0,
            mismatch: true,
          }),
        ]);
      expect(state).toMatchObject({ status: 'CLEARED', clearedMinor: 100, mismatch: true, heldMinor: 0 });
    });
  });

  describe('reversal', () => {
    it('reverses the lifecycle when a reversal releases its hold', () => {
      const command = recordOutcome(holdReleased(100));
      const { state } = given(authorizedHold(100))
        .when(command)
        .then([
          recorded('TransactionReversed', command, {
            cause: 'reversal',
            releasedMinor: 100,
            creditReversedMinor: 0,
            partial: false,
          }),
        ]);
      expect(state).toMatchObject({ status: 'REVERSED', heldMinor: 0, authorizedMinor: 100 });
    });

    it('keeps the rest authorized when a force-credit REVERSED releases part of the hold', () => {
      const command = recordOutcome(holdReleased(30, { cause: 'force-credit-reversed' }));
      const { state } = given(authorizedHold(100))
        .when(command)
        .then([
          recorded('TransactionReversed', command, {
            cause: 'force-credit-reversed',
            releasedMinor: 30,
            creditReversedMinor: 0,
            partial: true,
          }),
        ]);
      expect(state).toMatchObject({ status: 'AUTHORIZED', heldMinor: 70 });
    });

    it('reverses the lifecycle when a force-credit REVERSED releases all of the hold', () => {
      const command = recordOutcome(holdReleased(100, { cause: 'force-credit-reversed' }));
      const { state } = given(authorizedHold(100))
        .when(command)
        .then([
          recorded('TransactionReversed', command, {
            cause: 'force-credit-reversed',
            releasedMinor: 100,
            creditReversedMinor: 0,
            partial: false,
          }),
        ]);
      expect(state).toMatchObject({ status: 'REVERSED', heldMinor: 0 });
    });

    it('records the credited excess of a force-credit REVERSED as an adjustment of the reversed lifecycle', () => {
      const released = recordOutcome(holdReleased(100, { cause: 'force-credit-reversed' }));
      const excess = recordOutcome(fundsCredited(20, { forced: true }));
      const { state } = given([
        ...authorizedHold(100),
        recorded('TransactionReversed', released, {
          cause: 'force-credit-reversed',
          releasedMinor: 100,
          creditReversedMinor: 0,
          partial: false,
        }),
      ])
        .when(excess)
        .then([recorded('TransactionAdjusted', excess, { kind: 'credit', amountMinor: 20, forced: true })]);
      expect(state).toMatchObject({ status: 'REVERSED', kind: 'debit', heldMinor: 0, creditedMinor: 20 });
    });

    it('reverses a credit by taking the credited amount back', () => {
      const credit = recordOutcome(fundsCredited(500));
      const command = recordOutcome(creditReversed(500));
      const { state } = given([
        recorded('TransactionAuthorized', credit, { kind: 'credit', amountMinor: 500, forced: false }),
      ])
        .when(command)
        .then([
          recorded('TransactionReversed', command, {
            cause: 'reversal',
            releasedMinor: 0,
            creditReversedMinor: 500,
            partial: false,
          }),
        ]);
      expect(state).toMatchObject({ status: 'REVERSED', creditedMinor: 0 });
    });

    it('records a reversal matched by network id on the lifecycle it matched, with the request as sent', () => {
      const command = recordOutcome(
        holdReleased(100, {
          transaction: { lifecycleId: 'reversal-own-id', referenceTransactionId: 'network-1' },
        }),
      );
      const { events } = given(authorizedHold(100))
        .when(command)
        .then([
          recorded('TransactionReversed', command, {
            cause: 'reversal',
            releasedMinor: 100,
            creditReversedMinor: 0,
            partial: false,
          }),
        ]);
      expect(events[0]?.data).toMatchObject({
        lifecycleId: LIFECYCLE_ID,
        transaction: { lifecycleId: 'reversal-own-id' },
      });
    });

    it('only records a reversal of a cleared lifecycle', () => {
      const cleared = recordOutcome(balanceCleared(100, 100));
      const command = recordOutcome(reversalRecorded('already-cleared'));
      const { state } = given([
        ...authorizedHold(100),
        recorded('TransactionCleared', cleared, {
          settlement: 'clearing',
          heldMinor: 100,
          clearedMinor: 100,
          debitedMinor: 0,
          mismatch: false,
        }),
      ])
        .when(command)
        .then([recorded('TransactionReversalRecorded', command, { outcome: 'already-cleared' })]);
      expect(state).toMatchObject({ status: 'CLEARED', clearedMinor: 100 });
    });

    it('only records a second reversal of a reversed lifecycle', () => {
      const released = recordOutcome(holdReleased(100));
      const command = recordOutcome(reversalRecorded('already-reversed'));
      const { state } = given([
        ...authorizedHold(100),
        recorded('TransactionReversed', released, {
          cause: 'reversal',
          releasedMinor: 100,
          creditReversedMinor: 0,
          partial: false,
        }),
      ])
        .when(command)
        .then([recorded('TransactionReversalRecorded', command, { outcome: 'already-reversed' })]);
      expect(state).toMatchObject({ status: 'REVERSED', heldMinor: 0 });
    });
  });

  describe('a reversal that came first', () => {
    const tombstone = recordOutcome(reversalRecorded('tombstone'));
    const tombstoned = recorded('TransactionTombstoned', tombstone, {});

    it('leaves a tombstone: the lifecycle is reversed before anything was authorized', () => {
      const { state } = given([]).when(tombstone).then([tombstoned]);
      expect(state).toMatchObject({ status: 'REVERSED', tombstoned: true, kind: null, heldMinor: 0 });
    });

    it('records the late debit as ignored: nothing held, still reversed', () => {
      const late = recordOutcome(debitIgnoredAfterReversal());
      const { state } = given([tombstoned])
        .when(late)
        .then([recorded('TransactionAuthorizationIgnored', late, {})]);
      expect(state).toMatchObject({ status: 'REVERSED', kind: 'debit', heldMinor: 0, authorizedMinor: 0 });
    });
  });

  describe('declines', () => {
    it('declines a lifecycle whose debit was refused', () => {
      const command = recordOutcome(requestRefused('LIMITS_EXCEEDED'));
      const { state } = given([])
        .when(command)
        .then([
          recorded('TransactionDeclined', command, {
            command: 'Debit',
            reason: 'LIMITS_EXCEEDED',
            detail: 'refused: LIMITS_EXCEEDED',
          }),
        ]);
      expect(state).toMatchObject({
        status: 'DECLINED',
        kind: null,
        lastRefusal: { command: 'Debit', reason: 'LIMITS_EXCEEDED' },
      });
    });

    it('declines a lifecycle whose credit was refused', () => {
      const command = recordOutcome(requestRefused('FRAUDS_DETECTED', { command: 'Credit' }));
      const { state } = given([])
        .when(command)
        .then([
          recorded('TransactionDeclined', command, {
            command: 'Credit',
            reason: 'FRAUDS_DETECTED',
            detail: 'refused: FRAUDS_DETECTED',
          }),
        ]);
      expect(state.status).toBe('DECLINED');
    });

    it('keeps earlier holds standing when an incremental authorization is refused', () => {
      const command = recordOutcome(requestRefused('INSUFFICIENT_FUNDS'));
      const { state } = given(authorizedHold(100))
        .when(command)
        .then([
          recorded('TransactionDeclined', command, {
            command: 'Debit',
            reason: 'INSUFFICIENT_FUNDS',
            detail: 'refused: INSUFFICIENT_FUNDS',
          }),
        ]);
      expect(state).toMatchObject({
        status: 'AUTHORIZED',
        heldMinor: 100,
        lastRefusal: { command: 'Debit', reason: 'INSUFFICIENT_FUNDS' },
      });
    });

    it('records a refused clearing of an unknown transaction without calling the lifecycle declined', () => {
      const command = recordOutcome(requestRefused('TRANSACTION_NOT_FOUND', { command: 'Clear' }));
      const { state } = given([])
        .when(command)
        .then([
          recorded('TransactionDeclined', command, {
            command: 'Clear',
            reason: 'TRANSACTION_NOT_FOUND',
            detail: 'refused: TRANSACTION_NOT_FOUND',
          }),
        ]);
      expect(state).toMatchObject({
        status: null,
        lastRefusal: { command: 'Clear', reason: 'TRANSACTION_NOT_FOUND' },
      });
    });
  });

  describe('suspense', () => {
    it('records a forced request parked in suspense without changing the status', () => {
      const command = recordOutcome(forcedRequestSuspended('ForceDebit', 'Currency EUR differs'));
      const { state } = given(authorizedHold(100))
        .when(command)
        .then([
          recorded('TransactionSuspended', command, {
            command: 'ForceDebit',
            reason: 'Currency EUR differs',
          }),
        ]);
      expect(state).toMatchObject({ status: 'AUTHORIZED', heldMinor: 100, suspendedRequests: 1 });
    });
  });

  describe('idempotency', () => {
    const everyLifecycleEvent: [string, () => LifecycleBalanceEvent][] = [
      ['FundsHeld', () => fundsHeld(100)],
      ['FundsCredited', () => fundsCredited(100)],
      ['FundsDebited', () => fundsDebited(100)],
      ['TransactionCleared', () => balanceCleared(100, 100)],
      ['HoldReleased', () => holdReleased(100)],
      ['CreditReversed', () => creditReversed(100)],
      ['ReversalRecorded (tombstone)', () => reversalRecorded('tombstone')],
      ['ReversalRecorded (already cleared)', () => reversalRecorded('already-cleared')],
      ['DebitIgnoredAfterReversal', () => debitIgnoredAfterReversal()],
      ['RequestRefused', () => requestRefused('INSUFFICIENT_FUNDS')],
      ['ForcedRequestSuspended', () => forcedRequestSuspended('Reverse', 'Balance not found')],
    ];

    it.each(everyLifecycleEvent)(
      'records a re-delivered %s once: the second delivery decides nothing',
      (_name, balanceEvent) => {
        const command = recordOutcome(balanceEvent());
        const first = transaction.decide(command, transaction.initialState());
        expect(first).toHaveLength(1);
        given([...authorizedHold(100), ...first])
          .when(command)
          .then([]);
      },
    );

    it('decides nothing for a source event recorded long ago, whatever happened since', () => {
      const first = hold(100);
      const history: TransactionEvent[] = [
        recorded('TransactionAuthorized', first, { kind: 'debit', amountMinor: 100, forced: false }),
        recorded('TransactionCleared', recordOutcome(balanceCleared(100, 100)), {
          settlement: 'clearing',
          heldMinor: 100,
          clearedMinor: 100,
          debitedMinor: 0,
          mismatch: false,
        }),
      ];
      given(history).when(first).then([]);
    });

    it('records an identical balance event with another source id: it is another fact', () => {
      const balanceEvent = fundsHeld(100);
      const first = recordOutcome(balanceEvent, { sourceEventId: 'event-a' });
      const second = recordOutcome(balanceEvent, { sourceEventId: 'event-b' });
      const { state } = given([
        recorded('TransactionAuthorized', first, { kind: 'debit', amountMinor: 100, forced: false }),
      ])
        .when(second)
        .then([recorded('TransactionAdjusted', second, { kind: 'debit', amountMinor: 100, forced: false })]);
      expect(state.appliedSourceEventIds).toEqual(['event-a', 'event-b']);
    });
  });

  describe('guards', () => {
    it('refuses a balance event of another lifecycle: the stream would mix two lifecycles', () => {
      given(authorizedHold(100))
        .when(hold(10, { transaction: { lifecycleId: 'another-lifecycle' } }))
        .thenThrows(/concerns lifecycle another-lifecycle, not 24cbc777/);
    });

    it('refuses a refusal that names no card transaction', () => {
      given([])
        .when(recordOutcome(requestRefused('BALANCE_NOT_FOUND', { withoutTransaction: true })))
        .thenThrows(/concerns no transaction lifecycle/);
    });

    it('stops on a broken amount rather than copying it', () => {
      given([])
        .when(hold(-5))
        .thenThrows(/non-negative safe integer/);
    });
  });

  describe('replay', () => {
    it('gives the same plain-JSON state every time', () => {
      const history: TransactionEvent[] = [
        ...authorizedHold(100),
        recorded('TransactionAdjusted', hold(20), { kind: 'debit', amountMinor: 20, forced: false }),
        recorded('TransactionCleared', recordOutcome(balanceCleared(120, 120)), {
          settlement: 'clearing',
          heldMinor: 120,
          clearedMinor: 120,
          debitedMinor: 0,
          mismatch: false,
        }),
      ];
      const once = replay(transaction, history);
      expect(replay(transaction, history)).toEqual(once);
      expect(JSON.parse(JSON.stringify(once))).toEqual(once);
      expect(once).toMatchObject({ status: 'CLEARED', authorizedMinor: 120, heldMinor: 0 });
    });
  });
});

describe('lifecycleOf', () => {
  const linked: BalanceLinked = {
    type: 'BalanceLinked',
    data: { request: requestRef(), balanceId: BALANCE_ID, userId: '111', currency: 'PLN' },
  };
  const operatorCredited: OperatorCredited = {
    type: 'OperatorCredited',
    data: { request: requestRef(), amountMinor: 100, reason: 'transfer', reference: 'ref-1' },
  };

  it.each<[string, UserBalanceEvent]>([
    ['BalanceLinked', linked],
    ['BalanceUnlinked', { type: 'BalanceUnlinked', data: { request: requestRef(), userId: '111' } }],
    ['OperatorCredited', operatorCredited],
    ['OperatorDebited', { ...operatorCredited, type: 'OperatorDebited' }],
    ['RequestRefused without a transaction', requestRefused('USER_NOT_FOUND', { withoutTransaction: true })],
  ])('finds no lifecycle in %s', (_name, event) => {
    expect(lifecycleOf(event)).toBeUndefined();
  });

  it.each<[string, LifecycleBalanceEvent]>([
    ['FundsHeld', fundsHeld(1)],
    ['FundsCredited', fundsCredited(1)],
    ['FundsDebited', fundsDebited(1)],
    ['DebitIgnoredAfterReversal', debitIgnoredAfterReversal()],
    ['RequestRefused', requestRefused('INSUFFICIENT_FUNDS')],
    ['ForcedRequestSuspended', forcedRequestSuspended('ForceCredit', 'x')],
  ])("finds the request's own id in %s", (_name, event) => {
    expect(lifecycleOf(event)).toEqual({ lifecycleId: LIFECYCLE_ID, balanceEvent: event });
  });

  it('stops on a type the balances domain does not define, naming the type and nothing of the data', () => {
    const unknown = { type: 'FundsTeleported', data: { body: { pan: '4111111111111111' } } };
    const route = () => lifecycleOf(unknown as unknown as UserBalanceEvent);
    expect(route).toThrow('Unexpected event type: "FundsTeleported"');
    expect(route).not.toThrow(/4111/);
  });

  it.each<[string, LifecycleBalanceEvent]>([
    ['HoldReleased', holdReleased(1, { transaction: cardTransaction({ lifecycleId: 'own-id' }) })],
    ['CreditReversed', creditReversed(1, { transaction: { lifecycleId: 'own-id' } })],
    ['ReversalRecorded', reversalRecorded('already-cleared', { transaction: { lifecycleId: 'own-id' } })],
    ['TransactionCleared', balanceCleared(1, 1, { transaction: { lifecycleId: 'own-id' } })],
  ])('prefers the matched lifecycle over the request id in %s', (_name, event) => {
    expect(lifecycleOf(event)?.lifecycleId).toBe(LIFECYCLE_ID);
  });
});
