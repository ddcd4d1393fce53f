import { randomUUID } from 'node:crypto';
import type { Decider, DomainEvent } from '@app/shared-kernel';
import { ConcurrencyRetriesExhausted, WrongExpectedVersion } from '../errors';
import { EventStore, type NewEvent, type RecordedEvent } from '../event-store.port';
import { compareLogPositions, type LogPosition } from '../log-position';

/**
 * How the contract suite reaches an adapter. `open()` may be called several times: every
 * store it returns sees the same storage (that is how a restart and a second writer
 * process are simulated). The storage may hold other data (a shared EventStoreDB), so the
 * suite writes to streams of its own and filters `$all` by their prefix.
 */
export interface EventStoreHarness {
  open(): Promise<EventStore>;
  /** Called once after the suite; releases whatever `open` did not. */
  dispose(): Promise<void>;
}

/** The behaviour every EventStore adapter must have. Call from a `*.int.spec.ts` per adapter. */
export function describeEventStoreContract(adapterName: string, harness: () => EventStoreHarness): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let subject: EventStoreHarness;
    const opened: EventStore[] = [];
    let prefix: string;

    const open = async () => {
      const store = await subject.open();
      opened.push(store);
      return store;
    };
    const stream = (name: string) => `${prefix}${name}`;
    const ours = (events: RecordedEvent[]) => events.filter((event) => event.streamId.startsWith(prefix));

    beforeAll(() => {
      subject = harness();
    });
    beforeEach(() => {
      prefix = `contract_${randomUUID().replaceAll('-', '')}-`;
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });
    afterAll(() => subject.dispose());

    describe('appending', () => {
      it('numbers a new stream from revision 0 and returns the last revision', async () => {
        const store = await open();
        const result = await store.appendToStream(stream('a'), [note(1), note(2), note(3)], {
          expectedRevision: 'no_stream',
        });
        expect(result.nextExpectedRevision).toBe(2n);
        const events = await store.readStream(stream('a'));
        expect(events.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
        expect(events.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
        expect(events.every((event) => event.streamId === stream('a'))).toBe(true);
        expect(compareLogPositions(result.position, events[2]!.position)).toBe(0);
      });

      it('appends after an exact expected revision', async () => {
        const store = await open();
        await store.appendToStream(stream('a'), [note(1)], { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(stream('a'), [note(2)], { expectedRevision: 0n });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('appends anywhere with "any"', async () => {
        const store = await open();
        await store.appendToStream(stream('a'), [note(1)], { expectedRevision: 'any' });
        const result = await store.appendToStream(stream('a'), [note(2)], { expectedRevision: 'any' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it.each([
        ['no_stream on an existing stream', 'no_stream' as const],
        ['a stale revision', 0n],
        ['a revision from the future', 5n],
      ])('refuses %s with WrongExpectedVersion and writes nothing', async (_case, expectedRevision) => {
        const store = await open();
        await store.appendToStream(stream('a'), [note(1), note(2)], { expectedRevision: 'no_stream' });
        const attempt = store.appendToStream(stream('a'), [note(3), note(4)], { expectedRevision });
        await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersion);
        await expect(attempt).rejects.toMatchObject({ streamId: stream('a'), actual: 1n });
        expect(await store.readStream(stream('a'))).toHaveLength(2);
      });

      it('refuses an exact revision on a stream that does not exist', async () => {
        const store = await open();
        const attempt = store.appendToStream(stream('missing'), [note(1)], { expectedRevision: 0n });
        await expect(attempt).rejects.toMatchObject({ name: 'WrongExpectedVersion', actual: 'no_stream' });
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it('refuses an empty append', async () => {
        const store = await open();
        await expect(store.appendToStream(stream('a'), [], { expectedRevision: 'any' })).rejects.toThrow();
      });

      it('lets exactly one of many concurrent writers win each revision', async () => {
        const [first, second] = [await open(), await open()];
        const writers = 24;
        const rounds = 5;
        let expected: bigint | 'no_stream' = 'no_stream';
        for (let round = 0; round < rounds; round++) {
          const outcomes = await Promise.allSettled(
            Array.from({ length: writers }, (_, writer) =>
              (writer % 2 ? first : second).appendToStream(
                stream('race'),
                [note(round * 100 + writer), note(-1)],
                {
                  expectedRevision: expected,
                },
              ),
            ),
          );
          const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
          const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
          expect(winners).toHaveLength(1);
          for (const loser of losers) expect(loser.reason).toBeInstanceOf(WrongExpectedVersion);
          expected = (winners[0] as PromiseFulfilledResult<{ nextExpectedRevision: bigint }>).value
            .nextExpectedRevision;
        }
        const events = await first.readStream(stream('race'));
        expect(events.map((event) => event.revision)).toEqual(
          Array.from({ length: rounds * 2 }, (_, index) => BigInt(index)),
        );
      });

      it('writes a multi-event append as one contiguous block of the log', async () => {
        const store = await open();
        await Promise.all(
          ['x', 'y', 'z'].map((name) =>
            store.appendToStream(stream(name), [note(1), note(2), note(3), note(4)], {
              expectedRevision: 'no_stream',
            }),
          ),
        );
        const all = ours(await store.readAll());
        expect(all).toHaveLength(12);
        for (let block = 0; block < 3; block++) {
          const slice = all.slice(block * 4, block * 4 + 4);
          expect(new Set(slice.map((event) => event.streamId)).size).toBe(1);
          expect(slice.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n]);
        }
      });
    });

    describe('reading', () => {
      it('reads a stream forwards, backwards, from a revision and up to a count', async () => {
        const store = await open();
        await store.appendToStream(stream('a'), [1, 2, 3, 4, 5].map(note), { expectedRevision: 'no_stream' });
        const numbers = (events: RecordedEvent[]) => events.map((event) => (event.data as { n: number }).n);
        expect(numbers(await store.readStream(stream('a')))).toEqual([1, 2, 3, 4, 5]);
        expect(numbers(await store.readStream(stream('a'), { direction: 'backwards' }))).toEqual([
          5, 4, 3, 2, 1,
        ]);
        expect(numbers(await store.readStream(stream('a'), { fromRevision: 2n }))).toEqual([3, 4, 5]);
        expect(numbers(await store.readStream(stream('a'), { fromRevision: 2n, maxCount: 2 }))).toEqual([
          3, 4,
        ]);
        expect(
          numbers(
            await store.readStream(stream('a'), { direction: 'backwards', fromRevision: 3n, maxCount: 2 }),
          ),
        ).toEqual([4, 3]);
        expect(numbers(await store.readStream(stream('a'), { direction: 'backwards', maxCount: 1 }))).toEqual(
          [5],
        );
      });

      it('reads a stream that does not exist as empty', async () => {
        const store = await open();
        expect(await store.readStream(stream('nothing'))).toEqual([]);
        expect(await store.readStream(stream('nothing'), { direction: 'backwards' })).toEqual([]);
      });

      it('reads the log in commit order with increasing positions, after a given position', async () => {
        const store = await open();
        for (let index = 0; index < 10; index++) {
          await store.appendToStream(stream(`s${index % 3}`), [note(index)], { expectedRevision: 'any' });
        }
        const all = ours(await store.readAll());
        expect(all.map((event) => (event.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expectIncreasing(all.map((event) => event.position));

        const after = ours(await store.readAll({ after: all[4]!.position }));
        expect(after.map((event) => (event.data as { n: number }).n)).toEqual([5, 6, 7, 8, 9]);
        const page = await store.readAll({ after: all[4]!.position, maxCount: 2 });
        expect(page).toHaveLength(2);
      });

      it('keeps the event metadata: id, correlation, causation, idempotency key, recorded time', async () => {
        const store = await open();
        const eventId = randomUUID();
        const before = Date.now();
        await store.appendToStream(
          stream('meta'),
          [
            {
              type: 'Noted',
              data: { n: 1, nested: { list: [1, 'two', null], text: 'zażółć' } },
              eventId,
              metadata: { correlationId: 'corr-1', causationId: 'cause-1', idempotencyKey: 'key-1' },
            },
            note(2),
          ],
          { expectedRevision: 'no_stream' },
        );
        const [first, second] = await store.readStream(stream('meta'));
        expect(first!.type).toBe('Noted');
        expect(first!.data).toEqual({ n: 1, nested: { list: [1, 'two', null], text: 'zażółć' } });
        expect(first!.metadata).toMatchObject({
          eventId,
          correlationId: 'corr-1',
          causationId: 'cause-1',
          idempotencyKey: 'key-1',
        });
        const recordedAt = Date.parse(first!.metadata.recordedAt);
        expect(recordedAt).toBeGreaterThanOrEqual(before - 60_000);
        expect(recordedAt).toBeLessThanOrEqual(Date.now() + 60_000);
        expect(second!.metadata.eventId).toMatch(/^[0-9a-f-]{36}$/);
        expect(second!.metadata.eventId).not.toBe(eventId);
      });
    });

    describe('subscribing to the log', () => {
      it('catches up with what exists, then follows live appends in commit order', async () => {
        const store = await open();
        for (let index = 0; index < 5; index++) {
          await store.appendToStream(stream('live'), [note(index)], { expectedRevision: 'any' });
        }
        const subscription = store.subscribeToAll();
        const received: number[] = [];
        const consumer = (async () => {
          for await (const event of subscription) {
            if (!event.streamId.startsWith(prefix)) continue;
            received.push((event.data as { n: number }).n);
            if (received.length === 10) break;
          }
        })();
        await waitUntil(() => received.length === 5);
        for (let index = 5; index < 10; index++) {
          await store.appendToStream(stream(index % 2 ? 'live' : 'other'), [note(index)], {
            expectedRevision: 'any',
          });
        }
        await consumer;
        await subscription.close();
        expect(received).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      });

      it('resumes after a stored checkpoint across a restart, skipping and repeating nothing', async () => {
        let store = await open();
        const start = await logEnd(store);
        const total = 60;
        for (let index = 0; index < total; index += 3) {
          await store.appendToStream(
            stream(`r${index % 4}`),
            [note(index), note(index + 1), note(index + 2)],
            {
              expectedRevision: 'any',
            },
          );
        }
        const seen: number[] = [];
        let checkpoint: LogPosition | undefined = start;
        // Stop in the middle of a multi-event append, the hardest place to resume from.
        for (const stopAfter of [4, 25, total]) {
          const subscription = store.subscribeToAll({ after: checkpoint });
          for await (const event of subscription) {
            checkpoint = event.position;
            if (!event.streamId.startsWith(prefix)) continue;
            seen.push((event.data as { n: number }).n);
            if (seen.length >= stopAfter) break;
          }
          await subscription.close();
          await store.close();
          store = await open();
        }
        expect(seen).toEqual(Array.from({ length: total }, (_, index) => index));
      });

      it('stops delivering once closed', async () => {
        const store = await open();
        const subscription = store.subscribeToAll({ after: await logEnd(store) });
        const received: RecordedEvent[] = [];
        const consumer = (async () => {
          for await (const event of subscription) received.push(event);
        })();
        await subscription.close();
        await consumer;
        await store.appendToStream(stream('after-close'), [note(1)], { expectedRevision: 'any' });
        expect(ours(received)).toEqual([]);
      });
    });

    describe('handling a command (load, decide, append, retry)', () => {
      it('applies concurrent commands from two processes without losing any', async () => {
        const [first, second] = [await open(), await open()];
        const commands = 40;
        await Promise.all(
          Array.from({ length: commands }, (_, index) =>
            (index % 2 ? first : second).handle(stream('counter'), counter, { add: 1 }),
          ),
        );
        const events = await first.readStream(stream('counter'));
        expect(events.map((event) => (event.data as { total: number }).total)).toEqual(
          Array.from({ length: commands }, (_, index) => index + 1),
        );
      });

      it('records nothing when the decider decides nothing, and returns the position of the stream', async () => {
        const store = await open();
        const written = await store.handle(stream('counter'), counter, { add: 2 });
        const result = await store.handle(stream('counter'), counter, { add: 0 });
        expect(result.newEvents).toEqual([]);
        expect(result.state).toEqual({ total: 2 });
        expect(result.position).toEqual(written.position);
      });

      it('attaches the metadata to every event it writes', async () => {
        const store = await open();
        await store.handle(stream('counter'), counter, { add: 1 }, { metadata: { idempotencyKey: 'k1' } });
        const [event] = await store.readStream(stream('counter'));
        expect(event!.metadata.idempotencyKey).toBe('k1');
      });

      it('fails closed after its bounded retries, writing nothing of the command', async () => {
        const [store, intruder] = [await open(), await open()];
        // Another process appends between every load and append. Awaited: an append left
        // in flight only lands first on a store that writes synchronously.
        const contested = new AfterEveryLoad(store, () =>
          intruder.appendToStream(stream('contested'), [note(0)], { expectedRevision: 'any' }),
        );
        const attempt = contested.handle(stream('contested'), counter, { add: 1 }, { maxAttempts: 3 });
        await expect(attempt).rejects.toBeInstanceOf(ConcurrencyRetriesExhausted);
        const types = (await store.readStream(stream('contested'))).map((event) => event.type);
        expect(types).toEqual(['Noted', 'Noted', 'Noted']);
      });
    });

    describe('volume', () => {
      it('stores, reads and delivers 10,000 events', async () => {
        const store = await open();
        const start = await logEnd(store);
        const streams = 20;
        const perAppend = 50;
        const total = 10_000;
        const appends: Promise<unknown>[] = [];
        for (let offset = 0; offset < total; offset += perAppend) {
          const events = Array.from({ length: perAppend }, (_, index) => note(offset + index));
          appends.push(
            store.appendToStream(stream(`bulk${(offset / perAppend) % streams}`), events, {
              expectedRevision: 'any',
            }),
          );
          if (appends.length === 10) await Promise.all(appends.splice(0));
        }
        await Promise.all(appends);

        const lengths = await Promise.all(
          Array.from(
            { length: streams },
            async (_, index) => (await store.readStream(stream(`bulk${index}`))).length,
          ),
        );
        expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(total);

        const subscription = store.subscribeToAll({ after: start });
        const seen = new Set<number>();
        let previous: LogPosition | undefined;
        for await (const event of subscription) {
          if (previous) expect(compareLogPositions(previous, event.position)).toBe(-1);
          previous = event.position;
          if (!event.streamId.startsWith(prefix)) continue;
          seen.add((event.data as { n: number }).n);
          if (seen.size === total) break;
        }
        await subscription.close();
        expect(seen.size).toBe(total);
      }, 120_000);
    });
  });
}

type CounterEvent = DomainEvent<'Counted', { total: number }>;
interface CounterState {
  total: number;
}
const counter: Decider<{ add: number }, CounterState, CounterEvent> = {
  initialState: () => ({ total: 0 }),
  evolve: (_state, event) => ({ total: event.data.total }),
  decide: (command, state) =>
    command.add === 0 ? [] : [{ type: 'Counted', data: { total: state.total + command.add } }],
};

/** Delegates to a store, running `afterLoad` after each stream read: a writer acting mid-command. */
class AfterEveryLoad extends EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly afterLoad: () => Promise<unknown>,
  ) {
    super();
  }
  override appendToStream(...args: Parameters<EventStore['appendToStream']>) {
    return this.inner.appendToStream(...args);
  }
  override async readStream(...args: Parameters<EventStore['readStream']>) {
    const events = await this.inner.readStream(...args);
    await this.afterLoad();
    return events;
  }
  override readAll(...args: Parameters<EventStore['readAll']>) {
    return this.inner.readAll(...args);
  }
  override subscribeToAll(...args: Parameters<EventStore['subscribeToAll']>) {
    return this.inner.subscribeToAll(...args);
  }
  override close() {
    return this.inner.close();
  }
}

function note(n: number): NewEvent {
  return { type: 'Noted', data: { n } };
}

function expectIncreasing(positions: LogPosition[]): void {
  for (let index = 1; index < positions.length; index++) {
    expect(compareLogPositions(positions[index - 1]!, positions[index]!)).toBe(-1);
  }
}

/** The position of the last event in the log, so a test can subscribe to what comes after it. */
async function logEnd(store: EventStore): Promise<LogPosition | undefined> {
  let last: LogPosition | undefined;
  for (;;) {
    const page = await store.readAll({ after: last, maxCount: 1000 });
    if (page.length === 0) return last;
    last = page.at(-1)!.position;
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
