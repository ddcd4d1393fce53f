import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Antaca, cardTransaction } from '../support/antaca';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';

describe('a crash in the middle of the money path', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crash-service-'));
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    await service?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies each idempotency key once across SIGKILL and restart, and keeps every 204', async () => {
    service = await startServiceProcess(dataDir);
    let antaca = new Antaca(service);
    const { balanceId } = await antaca.fundedBalance(1_000_000);

    const debits = Array.from({ length: 300 }, () => ({
      key: randomUUID(),
      body: cardTransaction({ balanceId, amount: 100 }),
    }));
    const approved = new Set<string>();
    const killAfter = 120;
    let next = 0;
    // Ten clients sending debits, each sent twice in a row (a retry of the same key), until the kill.
    const client = async (current: Antaca) => {
      while (next < debits.length) {
        const debit = debits[next++]!;
        for (let attempt = 0; attempt < 2; attempt++) {
          try {
            const response = await current.post('/transactions/debit', debit.body, debit.key);
            if (response.status === 204) approved.add(debit.key);
          } catch {
            return; // connection refused or reset: the service is gone
          }
        }
        if (approved.size >= killAfter) void service!.kill('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: 10 }, () => client(antaca)));
    await service.kill('SIGKILL');
    expect(approved.size).toBeGreaterThanOrEqual(killAfter);
    expect(approved.size).toBeLessThan(debits.length);

    service = await startServiceProcess(dataDir);
    antaca = new Antaca(service);
    // Antaca retries everything it has no final answer for; here, everything.
    for (const debit of debits) {
      const response = await antaca.post('/transactions/debit', debit.body, debit.key);
      expect(response.status).toBe(204);
    }

    expect(await antaca.figures(balanceId)).toEqual({
      available: 1_000_000 - 100 * debits.length,
      holds: 100 * debits.length,
      booked: 1_000_000,
    });
    const history = await (
      await antaca.operator()
    )
      .get(`/operator/balances/${balanceId}/history`)
      .expect(200);
    const held = (history.body as { events: { type: string; idempotencyKey: string }[] }).events.filter(
      (event) => event.type === 'FundsHeld',
    );
    expect(held).toHaveLength(debits.length);
    expect(new Set(held.map((event) => event.idempotencyKey))).toEqual(
      new Set(debits.map((debit) => debit.key)),
    );
    for (const key of approved) expect(held.some((event) => event.idempotencyKey === key)).toBe(true);
  }, 120_000);
});
