import { Antaca, cardTransaction } from '../support/antaca';
import { startTestService, type TestService } from '../support/service';

describe('concurrent debits on one balance', () => {
  let service: TestService;
  let antaca: Antaca;

  beforeAll(async () => {
    service = await startTestService();
    antaca = new Antaca(service);
  });
  afterAll(() => service.stop());

  it('approves exactly as many as the money allows: 200 debits of 100 against 10,000', async () => {
    const { balanceId } = await antaca.fundedBalance(10_000);
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 100 })),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 204)).toHaveLength(100);
    expect(statuses.filter((status) => status === 422)).toHaveLength(100);
    for (const response of responses.filter((each) => each.status === 422)) {
      expect((response.body as { title: string }).title).toBe('INSUFFICIENT_FUNDS');
    }
    expect(await antaca.figures(balanceId)).toEqual({ available: 0, holds: 10_000, booked: 10_000 });
  });
});
