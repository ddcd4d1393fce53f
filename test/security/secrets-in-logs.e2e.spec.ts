import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { handMadeJwe } from '../../libs/security/src/jwe/testing/hand-made-jwe';
import { EventStore } from '@app/event-store';
import { Antaca, cardTransaction, OPERATOR_SECRET } from '../support/antaca';
import { startTestService, type TestService } from '../support/service';

const OTP_CODE = '48213957';
const PAN = '4111111111111111';
const CVV = '739';
const PAN_IN_TEXT = '4111 1111 1111 1111';

/** The base64 body lines of every PEM private key under `dir` (TLS and JWE keys the service made). */
function privateKeyLinesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.pem'))
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .filter((pem) => pem.includes('PRIVATE KEY'))
    .flatMap((pem) => pem.split('\n').filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line)));
}

/**
 * DOMAIN.md 7: secrets never appear in logs. A whole scenario at the most verbose level,
 * touching every secret the service handles, then a scan of everything it logged.
 */
describe('secrets in the log', () => {
  let service: TestService;
  let antaca: Antaca;
  const secrets: string[] = [OTP_CODE, PAN, PAN_IN_TEXT];

  beforeAll(async () => {
    service = await startTestService({ LOG_LEVEL: 'trace' });
    antaca = new Antaca(service);
  });
  afterAll(() => service.stop());

  it('never shows an OTP, a card number, a token, a JWE or a private key', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(10_000);

    // 3DS OTP, delivered to the dev inbox.
    await antaca
      .post('/notifications/otp', {
        storageCustomerId: userId,
        storageCardId: '1337',
        balanceId,
        amount: '1000',
        currency: 'PLN',
        merchantName: 'merchant test',
        otp: OTP_CODE,
      })
      .expect(204);

    // Card data in a debit, a refused debit and an unreadable forced request.
    const withCard = { cardNo: PAN, description: `card ${PAN_IN_TEXT}`, cvv: CVV };
    await antaca
      .post('/transactions/debit', cardTransaction({ balanceId, amount: 10, ...withCard }))
      .expect(204);
    await antaca.post('/transactions/debit', { ...withCard, amount: 'ten' }).expect(400);
    await antaca
      .post('/transactions/force-debit', `{"cardNo":"${PAN}",`)
      .set('Content-Type', 'application/json')
      .expect(400);

    // An encrypted debit and an encrypted answer.
    const { publicKey } = (await antaca.get('/public-key').expect(200)).body as { publicKey: string };
    const serviceKey = createPublicKey(Buffer.from(publicKey, 'base64').toString('utf8'));
    const jwe = handMadeJwe(
      serviceKey,
      JSON.stringify(cardTransaction({ balanceId, amount: 5, ...withCard })),
    );
    secrets.push(jwe);
    await antaca
      .post('/transactions/debit', { payload: jwe })
      .set('Content-Type', 'application/x-jwe-encryption-body+json')
      .expect(204);
    const antacaKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const antacaPublicKey = Buffer.from(
      antacaKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ).toString('base64');
    await antaca
      .get(`/users/${userId}/balances/${balanceId}`)
      .set('Encrypt-Response', 'true')
      .set('Public-Key', antacaPublicKey)
      .expect(200);

    // Operator tokens: a good one (in the Antaca client) and a forged one.
    const operator = await antaca.operator();
    await operator.get(`/operator/otp-inbox?cardId=1337`).expect(200);
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJlLW9mLW1hbGxvcnk';
    secrets.push(forged, OPERATOR_SECRET);
    await request(service.operatorUrl)
      .get(`/operator/balances/${balanceId}`)
      .set('Authorization', `Bearer ${forged}`)
      .expect(401);

    // An unexpected failure while card data is in flight: its cause is logged with a stack.
    await service.app.get(EventStore).close();
    await antaca
      .post('/transactions/debit', cardTransaction({ balanceId, amount: 1, ...withCard }))
      .expect(500);

    const log = service.log.join('\n');
    expect(log).toContain('"level":"error"');
    for (const secret of [...secrets, ...privateKeyLinesUnder(service.dataDir)]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toMatch(new RegExp(`"cvv":"${CVV}"`));
  });
});
