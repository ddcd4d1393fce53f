import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule, QueryBus } from '@nestjs/cqrs';
import {
  balanceStream,
  userBalance,
  type CardTransaction,
  type Lifecycle,
  type UserBalanceCommand,
  type UserBalanceEvent,
} from '@app/balances';
import {
  EventStore,
  formatLogPosition,
  openReadModelDatabase,
  READ_MODEL_DB,
  SqliteEventStore,
  type LogPosition,
  type ReadModelDb,
} from '@app/event-store';
import { replay, type Decider, type DomainEvent } from '@app/shared-kernel';
import { lifecycleOf } from '../domain/transaction.commands';
import { transaction, transactionStream } from '../domain/transaction.decider';
import type { TransactionEvent } from '../domain/transaction.events';
import type { TransactionState } from '../domain/transaction.state';
import { TransactionsModule } from '../transactions.module';
import {
  GetTransactionLifecycleHandler,
  GetTransactionLifecycleQuery,
} from './get-transaction-lifecycle.query';
import {
  RecordTransactionLifecycleWhenBalanceChanges as Reactor,
  type RecordTransactionLifecycleOptions,
} from './record-transaction-lifecycle-when-balance-changes.reactor';

const BALANCE = '2e520dc2-329d-11ed-a261-0242ac120002';
const OTHER_BALANCE = '7d9f3a10-5b2c-4e8f-9a61-0c1d2e3f4a5b';
/** Kept in every request body: it must reach the balance events and never a log line. */
const BODY_MARKER = 'merchant-name-that-must-not-be-logged';

/**
 * The SQLite store whose commands on Transaction streams can be made to fail or slow down, as
 * a disk or a network would; the balance streams (the bank's side) stay healthy.
 */
class UnreliableStore extends SqliteEventStore {
  failuresLeft = 0;
  delayMs = 0;
  handleCalls = 0;

  override async handle<TCommand, TState, TEvent extends DomainEvent>(
    streamId: string,
    decider: Decider<TCommand, TState, TEvent>,
    command: TCommand,
    options?: Parameters<EventStore['handle']>[3],
  ) {
    if (!streamId.startsWith('transaction-')) return super.handle(streamId, decider, command, options);
    this.handleCalls += 1;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('store unavailable (simulated)');
    }
    return super.handle(streamId, decider, command, options);
  }
}

class RecordingLogger {
  readonly lines: { level: string; message: string }[] = [];
  log(message: string) {
    this.lines.push({ level: 'log', message });
  }
  warn(message: string) {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string) {
    this.lines.push({ level: 'error', message });
  }
}

let requests = 0;

/** Drives real balance streams through the UserBalance decider, as the callbacks do. */
class Bank {
  constructor(private readonly store: EventStore) {}

  async run(balanceId: string, command: UserBalanceCommand, correlationId = `corr-${++requests}`) {
    const result = await this.store.handle(balanceStream(balanceId), userBalance, command, {
      metadata: { idempotencyKey: command.request.idempotencyKey, correlationId },
    });
    return result.position!;
  }

  async open(balanceId: string, fundsMinor: number): Promise<LogPosition> {
    await this.run(balanceId, {
      type: 'LinkBalance',
      request: request(),
      balanceId,
      userId: '111',
      currency: 'PLN',
      userKnown: true,
    });
    return this.run(balanceId, {
      type: 'OperatorCredit',
      request: request(),
      amountMinor: fundsMinor,
      reason: 'incoming transfer',
      reference: 'TR-1',
    });
  }

  debit(balanceId: string, card: Partial<CardTransaction>) {
    return this.run(balanceId, { type: 'Debit', ...cardRequest(card), policyRefusal: null });
  }

  forceDebit(balanceId: string, card: Partial<CardTransaction>) {
    return this.run(balanceId, { type: 'ForceDebit', ...cardRequest(card) });
  }

  forceCredit(balanceId: string, card: Partial<CardTransaction>) {
    return this.run(balanceId, { type: 'ForceCredit', ...cardRequest({ type: 'adjustment', ...card }) });
  }

  reverse(balanceId: string, card: Partial<CardTransaction>) {
    return this.run(balanceId, { type: 'Reverse', ...cardRequest({ status: 'REVERSED', ...card }) });
  }

  clear(balanceId: string, card: Partial<CardTransaction>) {
    const parsed = cardRequest({ status: 'CLEARED', ...card });
    return this.run(balanceId, {
      type: 'Clear',
      ...parsed,
      pathTransactionId: parsed.transaction.transactionId ?? 'unknown',
    });
  }

  async lifecycles(balanceId: string): Promise<ReadonlyMap<string, Lifecycle>> {
    const events = await this.store.readStream(balanceStream(balanceId));
    return replay(
      userBalance,
      events.map((event) => ({ type: event.type, data: event.data }) as UserBalanceEvent),
    ).lifecycles;
  }
}

function request() {
  requests += 1;
  return { idempotencyKey: `key-${requests}`, requestHash: `hash-${requests}` };
}

function cardRequest(card: Partial<CardTransaction>) {
  const transaction: CardTransaction = {
    lifecycleId: 'lifecycle-1',
    transactionId: `network-${card.lifecycleId ?? 'lifecycle-1'}`,
    referenceTransactionId: null,
    type: 'pos',
    amountMinor: 100,
    currency: 'PLN',
    status: 'AUTHORIZED',
    cardId: '222',
    ...card,
  };
  return {
    request: request(),
    transaction,
    body: { id: transaction.lifecycleId, amount: transaction.amountMinor, merchantName: BODY_MARKER },
  };
}

describe('RecordTransactionLifecycleWhenBalanceChanges', () => {
  let dir: string;
  let store: UnreliableStore;
  let db: ReadModelDb;
  let bank: Bank;
  const reactors: Reactor[] = [];

  const startReactor = (options: RecordTransactionLifecycleOptions = {}) => {
    const reactor = new Reactor(store, db, {
      logger: new RecordingLogger(),
      backoffBaseMs: 1,
      backoffMaxMs: 5,
      ...options,
    });
    reactors.push(reactor);
    reactor.start();
    return reactor;
  };

  const checkpoint = () =>
    db
      .prepare<[string], { position: string }>('SELECT position FROM reactor_checkpoints WHERE name = ?')
      .get(Reactor.checkpointName)?.position;

  const transactionEvents = async () =>
    (await store.readAll()).filter((event) => event.streamId.startsWith('transaction-'));

  const lifecycle = async (lifecycleId: string) => {
    const events = await store.readStream(transactionStream(lifecycleId));
    return {
      events,
      types: events.map((event) => event.type),
      state: replay(
        transaction,
        events.map((event) => ({ type: event.type, data: event.data }) as TransactionEvent),
      ),
    };
  };

  /**
   * The reactor's whole contract: every balance event that concerns a lifecycle is recorded
   * exactly once, in that lifecycle's stream, in log order; nothing else is recorded.
   */
  const expectEveryBalanceEventRecordedOnce = async () => {
    const all = await store.readAll();
    const expected = all
      .filter((event) => event.streamId.startsWith('balance-'))
      .flatMap((event) => {
        const routed = lifecycleOf({ type: event.type, data: event.data } as UserBalanceEvent);
        return routed ? [`${transactionStream(routed.lifecycleId)} <- ${event.metadata.eventId}`] : [];
      });
    const actual = all
      .filter((event) => event.streamId.startsWith('transaction-'))
      .map((event) => `${event.streamId} <- ${(event.data as { sourceEventId: string }).sourceEventId}`);
    expect(actual).toEqual(expected);
    expect(new Set(actual).size).toBe(actual.length);
    return actual.length;
  };

  /** For a lifecycle on one balance, the Transaction's figures are the balance's own. */
  const expectFiguresAgree = async (balanceId: string) => {
    for (const [lifecycleId, figures] of await bank.lifecycles(balanceId)) {
      const { state } = await lifecycle(lifecycleId);
      expect({ lifecycleId, ...pickFigures(state) }).toEqual({ lifecycleId, ...pickFigures(figures) });
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'transactions-'));
    store = new UnreliableStore({ file: join(dir, 'events.sqlite') });
    db = openReadModelDatabase(join(dir, 'read-models.sqlite'));
    bank = new Bank(store);
  });

  afterEach(async () => {
    await Promise.all(reactors.splice(0).map((reactor) => reactor.stop()));
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records each lifecycle of the balances in its own stream, caused by and correlated with its balance event', async () => {
    const reactor = startReactor();
    await bank.open(BALANCE, 1_000);
    await bank.debit(BALANCE, { lifecycleId: 'L1', amountMinor: 100 });
    await bank.debit(BALANCE, { lifecycleId: 'L1', amountMinor: 50 });
    await bank.clear(BALANCE, { lifecycleId: 'L1', amountMinor: 150, transactionId: 'network-L1' });
    await bank.debit(BALANCE, { lifecycleId: 'L2', amountMinor: 200 });
    await bank.reverse(BALANCE, { lifecycleId: 'L2' });
    await bank.reverse(BALANCE, { lifecycleId: 'L3' });
    await bank.debit(BALANCE, { lifecycleId: 'L3', amountMinor: 70 });
    await bank.debit(BALANCE, { lifecycleId: 'L4', amountMinor: 5_000 });
    await bank.forceDebit(BALANCE, { lifecycleId: 'L5', amountMinor: 30, status: 'CLEARED' });
    await bank.debit(BALANCE, { lifecycleId: 'L6', amountMinor: 80 });
    await bank.forceCredit(BALANCE, { lifecycleId: 'L6', amountMinor: 100, status: 'REVERSED' });
    await bank.reverse(OTHER_BALANCE, { lifecycleId: 'L7' });
    const last = await bank.debit(BALANCE, { lifecycleId: 'L8', amountMinor: 10 });
    await reactor.waitFor(last);

    expect((await lifecycle('L1')).types).toEqual([
      'TransactionAuthorized',
      'TransactionAdjusted',
      'TransactionCleared',
    ]);
    expect((await lifecycle('L1')).state).toMatchObject({
      status: 'CLEARED',
      authorizedMinor: 150,
      heldMinor: 0,
      clearedMinor: 150,
      mismatch: false,
      balanceIds: [BALANCE],
    });
    expect((await lifecycle('L2')).types).toEqual(['TransactionAuthorized', 'TransactionReversed']);
    expect((await lifecycle('L2')).state.status).toBe('REVERSED');
    expect((await lifecycle('L3')).types).toEqual([
      'TransactionTombstoned',
      'TransactionAuthorizationIgnored',
    ]);
    expect((await lifecycle('L3')).state).toMatchObject({
      status: 'REVERSED',
      heldMinor: 0,
      tombstoned: true,
    });
    expect((await lifecycle('L4')).types).toEqual(['TransactionDeclined']);
    expect((await lifecycle('L4')).state).toMatchObject({
      status: 'DECLINED',
      lastRefusal: { reason: 'INSUFFICIENT_FUNDS' },
    });
    expect((await lifecycle('L5')).state).toMatchObject({ status: 'CLEARED', debitedMinor: 30 });
    expect((await lifecycle('L6')).types).toEqual([
      'TransactionAuthorized',
      'TransactionReversed',
      'TransactionAdjusted',
    ]);
    expect((await lifecycle('L6')).state).toMatchObject({
      status: 'REVERSED',
      heldMinor: 0,
      creditedMinor: 20,
    });
    expect((await lifecycle('L7')).types).toEqual(['TransactionSuspended']);
    expect(await expectEveryBalanceEventRecordedOnce()).toBe(14);
    await expectFiguresAgree(BALANCE);

    const balanceEvents = await store.readStream(balanceStream(BALANCE));
    const [authorized] = (await lifecycle('L1')).events;
    const source = balanceEvents.find((event) => event.metadata.eventId === authorized!.metadata.causationId);
    expect(source?.type).toBe('FundsHeld');
    expect(authorized!.metadata.correlationId).toBe(source!.metadata.correlationId);
    expect(authorized!.data).not.toHaveProperty('body');
  });

  it('resumes after its checkpoint when restarted: nothing recorded twice, nothing skipped', async () => {
    await bank.open(BALANCE, 10_000);
    const first = startReactor();
    await bank.debit(BALANCE, { lifecycleId: 'L1', amountMinor: 100 });
    await first.waitFor(await bank.debit(BALANCE, { lifecycleId: 'L2', amountMinor: 100 }));
    await first.stop();
    const stoppedAt = checkpoint();
    expect(stoppedAt).toBe(formatLogPosition(first.position!));

    await bank.clear(BALANCE, { lifecycleId: 'L1', amountMinor: 100, transactionId: 'network-L1' });
    await bank.debit(BALANCE, { lifecycleId: 'L2', amountMinor: 40 });
    const last = await bank.reverse(BALANCE, { lifecycleId: 'L2' });
    expect(checkpoint()).toBe(stoppedAt);

    const second = startReactor();
    await second.waitFor(last);
    expect(await expectEveryBalanceEventRecordedOnce()).toBe(5);
    expect((await lifecycle('L1')).types).toEqual(['TransactionAuthorized', 'TransactionCleared']);
    expect((await lifecycle('L2')).types).toEqual([
      'TransactionAuthorized',
      'TransactionAdjusted',
      'TransactionReversed',
    ]);
    await expectFiguresAgree(BALANCE);
  });

  it('stopped in the middle of a burst, picks up where it stopped', async () => {
    await bank.open(BALANCE, 1_000_000);
    let last!: LogPosition;
    for (let n = 0; n < 40; n++) {
      last = await bank.debit(BALANCE, { lifecycleId: `L${n % 7}`, amountMinor: 10 + n });
    }
    store.delayMs = 3;
    const first = startReactor();
    await waitUntil(() => (first.position?.commit ?? 0n) >= 10n);
    await first.stop();
    expect(first.position!.commit).toBeLessThan(last.commit);
    expect(checkpoint()).toBe(formatLogPosition(first.position!));

    store.delayMs = 0;
    const second = startReactor();
    await second.waitFor(last);
    expect(await expectEveryBalanceEventRecordedOnce()).toBe(40);
    await expectFiguresAgree(BALANCE);
  });

  it('changes nothing when it dies after recording and before its checkpoint: the re-delivery is ignored', async () => {
    await bank.open(BALANCE, 10_000);
    await bank.debit(BALANCE, { lifecycleId: 'L1', amountMinor: 100 });
    await bank.debit(BALANCE, { lifecycleId: 'L1', amountMinor: 20 });
    await bank.reverse(BALANCE, { lifecycleId: 'L1' });
    const last = await bank.forceDebit(BALANCE, { lifecycleId: 'L2', amountMinor: 5, status: 'CLEARED' });
    const first = startReactor();
    await first.waitFor(last);
    await first.stop();
    const before = await transactionEvents();
    expect(before).toHaveLength(4);

    // The crash: every transaction append happened, but the checkpoint never moved past them.
    const balanceEvents = (await store.readAll()).filter((event) => event.streamId.startsWith('balance-'));
    db.prepare('UPDATE reactor_checkpoints SET position = ? WHERE name = ?').run(
      formatLogPosition(balanceEvents[1]!.position),
      Reactor.checkpointName,
    );
    const callsBefore = store.handleCalls;
    const rewound = startReactor();
    await rewound.waitFor(before.at(-1)!.position);
    expect(store.handleCalls - callsBefore).toBe(4);
    expect(await transactionEvents()).toEqual(before);
    await rewound.stop();

    // The worst case: the checkpoint is gone and the whole log comes again.
    db.prepare('DELETE FROM reactor_checkpoints WHERE name = ?').run(Reactor.checkpointName);
    const fromScratch = startReactor();
    await fromScratch.waitFor(before.at(-1)!.position);
    expect(await transactionEvents()).toEqual(before);
    expect(await expectEveryBalanceEventRecordedOnce()).toBe(4);
  });

  it('retries a failing store with backoff and records the event once, logging no event data', async () => {
    const logger = new RecordingLogger();
    const reactor = startReactor({ logger, maxAttempts: 5 });
    await bank.open(BALANCE, 1_000);
    store.failuresLeft = 3;
    const last = await bank.debit(BALANCE, { lifecycleId: 'L1', amountMinor: 100 });
    await reactor.waitFor(last);

    expect(reactor.state).toBe('running');
    expect(await expectEveryBalanceEventRecordedOnce()).toBe(1);
    expect(logger.lines.map((line) => line.level)).toEqual(['warn', 'warn', 'warn']);
    expect(logger.lines[0]!.message).toMatch(
      /^Recording FundsHeld balance-2e520dc2-329d-11ed-a261-0242ac120002@2 \(event [0-9a-f-]+\) failed \(attempt 1\/5\)/,
    );
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain(BODY_MARKER);
    expect(logged).not.toContain('222');
  });

  it('stops after its attempts instead of skipping the event, and records it once restarted', async () => {
    const logger = new RecordingLogger();
    await bank.open(BALANCE, 1_000);
    const held = await bank.debit(BALANCE, { lifecycleId: 'L1', amountMinor: 100 });
    const reactor = startReactor({ logger, maxAttempts: 3 });
    await reactor.waitFor(held);
    // Also past its own append of L1, so that nothing but the failing event is left in flight.
    await reactor.waitFor((await lifecycle('L1')).events.at(-1)!.position);
    const before = checkpoint();
    const positionBefore = reactor.position;

    store.failuresLeft = 3;
    const stuck = await bank.debit(BALANCE, { lifecycleId: 'L2', amountMinor: 100 });
    const after = await bank.debit(BALANCE, { lifecycleId: 'L3', amountMinor: 100 });
    await expect(reactor.waitFor(after)).rejects.toThrow(/failed: Error: store unavailable/);
    expect(reactor.state).toBe('failed');
    expect(reactor.position).toEqual(positionBefore);
    expect(checkpoint()).toBe(before);
    expect(logger.lines.map((line) => line.level)).toEqual(['warn', 'warn', 'error']);
    expect(logger.lines[2]!.message).toContain('failed 3 times');
    expect((await lifecycle('L2')).events).toHaveLength(0);
    expect((await lifecycle('L3')).events).toHaveLength(0);
    await expect(reactor.waitFor(stuck)).rejects.toThrow(/not running \(failed\)/);

    const restarted = startReactor();
    await restarted.waitFor(after);
    expect(await expectEveryBalanceEventRecordedOnce()).toBe(3);
  });

  it('stops on a balance event it does not know rather than passing over it', async () => {
    const logger = new RecordingLogger();
    const reactor = startReactor({ logger, maxAttempts: 2 });
    const { position } = await store.appendToStream(
      balanceStream(BALANCE),
      [{ type: 'FundsTeleported', data: { amountMinor: 1, body: { merchantName: BODY_MARKER } } }],
      { expectedRevision: 'any' },
    );
    await expect(reactor.waitFor(position)).rejects.toThrow(/Unexpected event type: "FundsTeleported"/);
    expect(reactor.state).toBe('failed');
    expect(checkpoint()).toBeUndefined();
    expect(logger.lines.map((line) => line.level)).toEqual(['warn', 'error']);
    expect(JSON.stringify(logger.lines)).not.toContain(BODY_MARKER);
  });

  it('passes over the events of other streams and balance events that concern no lifecycle', async () => {
    const reactor = startReactor();
    await bank.open(BALANCE, 1_000);
    const { position } = await store.appendToStream('user-111', [{ type: 'UserRegistered', data: {} }], {
      expectedRevision: 'any',
    });
    await reactor.waitFor(position);
    expect(await transactionEvents()).toEqual([]);
    expect(store.handleCalls).toBe(0);
    expect(checkpoint()).toBe(formatLogPosition(position));
  });

  it('answers waitFor at once for a position already reached, and refuses once stopped', async () => {
    const reactor = startReactor();
    await bank.open(BALANCE, 1_000);
    const held = await bank.debit(BALANCE, { lifecycleId: 'L1', amountMinor: 1 });
    await reactor.waitFor(held);
    await expect(reactor.waitFor(held, 1)).resolves.toBeUndefined();
    const pending = reactor.waitFor({ commit: held.commit + 1_000n, prepare: held.commit + 1_000n });
    await reactor.stop();
    await expect(pending).rejects.toThrow(/stopped/);
    await expect(reactor.waitFor(await bank.debit(BALANCE, { lifecycleId: 'L2' }))).rejects.toThrow(
      /not running \(stopped\)/,
    );
    expect(() => reactor.start()).toThrow(/cannot start from stopped/);
  });

  it('reads one lifecycle for the operator straight from its stream', async () => {
    const reactor = startReactor();
    await bank.open(BALANCE, 1_000);
    await bank.debit(BALANCE, { lifecycleId: 'L1', amountMinor: 100 });
    await reactor.waitFor(
      await bank.clear(BALANCE, { lifecycleId: 'L1', amountMinor: 100, transactionId: 'network-L1' }),
    );
    const handler = new GetTransactionLifecycleHandler(store);

    const view = await handler.execute(new GetTransactionLifecycleQuery('L1'));
    expect(view?.lifecycleId).toBe('L1');
    expect(view?.state).toMatchObject({ status: 'CLEARED', clearedMinor: 100, heldMinor: 0 });
    expect(view?.events.map((entry) => [entry.revision, entry.type])).toEqual([
      ['0', 'TransactionAuthorized'],
      ['1', 'TransactionCleared'],
    ]);
    expect(view?.events[0]).toMatchObject({
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { lifecycleId: 'L1', balanceId: BALANCE, kind: 'debit', amountMinor: 100 },
    });
    expect(view?.events[0]?.causationId).toBe(
      (view?.events[0]?.data as { sourceEventId?: string } | undefined)?.sourceEventId,
    );
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(await handler.execute(new GetTransactionLifecycleQuery('nobody'))).toBeUndefined();
  });

  it('runs inside Nest from bootstrap to shutdown, and answers the lifecycle query on the bus', async () => {
    @Global()
    @Module({
      providers: [
        { provide: EventStore, useValue: store },
        { provide: READ_MODEL_DB, useValue: db },
      ],
      exports: [EventStore, READ_MODEL_DB],
    })
    class InfrastructureModule {}

    @Module({ imports: [CqrsModule.forRoot(), InfrastructureModule, TransactionsModule] })
    class TestAppModule {}

    const app = await NestFactory.createApplicationContext(TestAppModule, { logger: false });
    const reactor = app.get(Reactor);
    try {
      expect(reactor.state).toBe('running');
      await bank.open(BALANCE, 1_000);
      await reactor.waitFor(await bank.debit(BALANCE, { lifecycleId: 'L1', amountMinor: 100 }));
      const view = await app.get(QueryBus).execute(new GetTransactionLifecycleQuery('L1'));
      expect(view?.state.status).toBe('AUTHORIZED');
    } finally {
      await app.close();
    }
    expect(reactor.state).toBe('stopped');
  });
});

function pickFigures(
  figures: Pick<
    TransactionState | Lifecycle,
    'authorizedMinor' | 'heldMinor' | 'creditedMinor' | 'debitedMinor' | 'clearedMinor'
  >,
) {
  const { authorizedMinor, heldMinor, creditedMinor, debitedMinor, clearedMinor } = figures;
  return { authorizedMinor, heldMinor, creditedMinor, debitedMinor, clearedMinor };
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
