import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import type { PolicyRefusal } from '../domain/refusal';
import {
  BALANCE_ID,
  credit,
  debit,
  forceCredit,
  forceDebit,
  linkBalance,
  operatorCredit,
  reverse,
} from '../domain/testing/user-balance.fixtures';
import { AuthorizationPolicy, type PolicyQuestion } from './authorization-policy';
import { RunBalanceCommand, RunBalanceCommandHandler } from './run-balance-command.command';
import type { WriteFence } from './write-fence';

/** Refuses everything it is asked, and remembers what. */
class RefusingPolicy extends AuthorizationPolicy {
  readonly asked: PolicyQuestion[] = [];

  override evaluate(question: PolicyQuestion): Promise<PolicyRefusal | null> {
    this.asked.push(question);
    return Promise.resolve({ reason: 'FRAUDS_DETECTED', detail: 'Card 222 is locked (CARD_STOLEN)' });
  }
}

const noFence = { wrote: () => undefined } as unknown as WriteFence;

describe('RunBalanceCommandHandler and the AuthorizationPolicy', () => {
  let dir: string;
  let store: SqliteEventStore;
  let policy: RefusingPolicy;
  let handler: RunBalanceCommandHandler;

  const run = (command: RunBalanceCommand['command'], balanceId = BALANCE_ID) =>
    handler.execute(new RunBalanceCommand(balanceId, command, 'correlation-1'));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'policy-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    policy = new RefusingPolicy();
    handler = new RunBalanceCommandHandler(store, policy, noFence);
    await run(linkBalance());
    await run(operatorCredit(10_000));
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks about a debit and a credit, and records the refusal with its detail', async () => {
    const refusal = { reason: 'FRAUDS_DETECTED', detail: 'Card 222 is locked (CARD_STOLEN)' };
    expect(await run(debit({ lifecycleId: 'd-1' }))).toEqual({ kind: 'refused', refusal });
    expect(await run(credit({ lifecycleId: 'c-1' }))).toEqual({ kind: 'refused', refusal });
    expect(policy.asked.map((question) => question.transaction.lifecycleId)).toEqual(['d-1', 'c-1']);

    const refused = (await store.readStream(`balance-${BALANCE_ID}`)).filter(
      (event) => event.type === 'RequestRefused',
    );
    expect(refused.map((event) => event.data)).toEqual([
      expect.objectContaining({ command: 'Debit', ...refusal }),
      expect.objectContaining({ command: 'Credit', ...refusal }),
    ]);
  });

  it('never asks about forced requests, which are applied whatever the policy would say', async () => {
    expect(await run(forceDebit({ lifecycleId: 'f-1', amountMinor: 300 }))).toEqual({ kind: 'accepted' });
    expect(await run(forceCredit({ lifecycleId: 'f-2', amountMinor: 50 }))).toEqual({ kind: 'accepted' });
    expect(await run(reverse({ lifecycleId: 'f-1' }))).toEqual({ kind: 'accepted' });
    expect(policy.asked).toEqual([]);

    const types = (await store.readStream(`balance-${BALANCE_ID}`)).map((event) => event.type);
    expect(types).toEqual([
      'BalanceLinked',
      'OperatorCredited',
      'FundsHeld',
      'FundsCredited',
      'HoldReleased',
    ]);
  });

  it('keeps rules 1 and 2 first: an unknown balance is 404 and another currency 409, whatever the policy says', async () => {
    const unknownBalance = '00000000-0000-4000-8000-000000000000';
    expect(await run(debit({ lifecycleId: 'd-2' }), unknownBalance)).toMatchObject({
      kind: 'refused',
      refusal: { reason: 'BALANCE_NOT_FOUND' },
    });
    expect(await run(debit({ lifecycleId: 'd-3', currency: 'EUR' }))).toMatchObject({
      kind: 'refused',
      refusal: { reason: 'CLIENT_ERROR' },
    });
  });
});
