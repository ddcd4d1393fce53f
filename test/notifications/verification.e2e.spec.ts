import { randomUUID } from 'node:crypto';
import { Antaca } from '../support/antaca';
import { expectInvalidRequest, expectProblem } from '../support/problems';
import { startTestService, type TestService } from '../support/service';

/**
 * KYC notifications over real HTTP: the three routes, their validation, idempotency with and
 * without a key, out-of-order delivery, and what the operator sees of the user's KYC.
 */

let service: TestService;
let antaca: Antaca;

beforeAll(async () => {
  service = await startTestService();
  antaca = new Antaca(service);
});
afterAll(() => service.stop());

type Route = 'verificationInProgress' | 'verificationAccepted' | 'verificationRejected';

interface KycView {
  required: boolean;
  status: string | null;
  reason: string | null;
  decidedBy: string | null;
  verifications: { verificationId: string; status: string; reason: string | null }[];
}

const STATUS: Record<Route, string> = {
  verificationInProgress: 'IN_PROGRESS',
  verificationAccepted: 'ACCEPTED',
  verificationRejected: 'REJECTED',
};

const newUserId = () => `u-${randomUUID().slice(0, 8)}`;

/** A notification body as the seeds show it. */
function body(route: Route, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    verificationId: randomUUID(),
    userId: newUserId(),
    email: 'leonbakiewicz@example.com',
    firstName: 'Leon',
    lastName: 'Bakiewicz',
    status: STATUS[route],
    reason: route === 'verificationRejected' ? 'INVALID_CUSTOMER_DATA' : null,
    ...overrides,
  };
}

function notify(route: Route, payload: Record<string, unknown>, key: string | null = randomUUID()) {
  return antaca.post(`/notifications/${route}`, payload, key);
}

async function userView(userId: string) {
  return (await antaca.operator()).get(`/operator/users/${userId}`);
}

async function kycOf(userId: string): Promise<KycView> {
  const response = await userView(userId);
  expect(response.status).toBe(200);
  return (response.body as { kyc: KycView }).kyc;
}

describe('happy path', () => {
  it('IN_PROGRESS: 204, registers the unknown user from the notification, and requires KYC', async () => {
    const payload = body('verificationInProgress');
    const response = await notify('verificationInProgress', payload);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');

    const view = await userView(payload.userId as string);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      userId: payload.userId,
      email: 'leonbakiewicz@example.com',
      firstName: 'Leon',
      lastName: 'Bakiewicz',
      corporationId: null,
    });
    expect((view.body as { kyc: KycView }).kyc).toEqual({
      required: true,
      status: 'IN_PROGRESS',
      reason: null,
      decidedBy: null,
      verifications: [{ verificationId: payload.verificationId, status: 'IN_PROGRESS', reason: null }],
    });
  });

  it('ACCEPTED: 204, and the user is accepted', async () => {
    const payload = body('verificationAccepted');
    await notify('verificationAccepted', payload).expect(204);
    expect(await kycOf(payload.userId as string)).toMatchObject({
      required: true,
      status: 'ACCEPTED',
      reason: null,
      decidedBy: payload.verificationId,
    });
  });

  it('REJECTED: 204, and the user is rejected with the reason', async () => {
    const payload = body('verificationRejected', { reason: 'BLURRED_SELFIE' });
    await notify('verificationRejected', payload).expect(204);
    expect(await kycOf(payload.userId as string)).toMatchObject({
      status: 'REJECTED',
      reason: 'BLURRED_SELFIE',
    });
  });

  it('takes a numeric userId as its decimal string, a v1 verificationId in any case, and a lower-case status', async () => {
    const numericUserId = Math.floor(Math.random() * 1e9);
    const verificationId = '6FAAA45A-329D-11ED-A261-0242AC120002';
    const payload = body('verificationAccepted', {
      userId: numericUserId,
      verificationId,
      status: 'accepted',
    });
    await notify('verificationAccepted', payload).expect(204);
    expect((await kycOf(String(numericUserId))).verifications).toEqual([
      { verificationId: verificationId.toLowerCase(), status: 'ACCEPTED', reason: null },
    ]);
  });

  it('follows the latest decision across the user’s verifications', async () => {
    const userId = newUserId();
    await notify('verificationAccepted', body('verificationAccepted', { userId })).expect(204);
    const second = body('verificationRejected', { userId, reason: 'INVALID_SELFIE' });
    await notify('verificationRejected', second).expect(204);
    expect(await kycOf(userId)).toMatchObject({
      status: 'REJECTED',
      reason: 'INVALID_SELFIE',
      decidedBy: second.verificationId,
    });
  });

  it('answers 404 USER_NOT_FOUND for a user no one registered', async () => {
    expectProblem(await userView(newUserId()), 404, 'USER_NOT_FOUND');
  });
});

describe('bad bodies: 400 INVALID_REQUEST naming the fields, nothing recorded', () => {
  it.each<[string, Route, Record<string, unknown>, string[]]>([
    ['no verificationId', 'verificationAccepted', { verificationId: undefined }, ['verificationId']],
    [
      'a verificationId that is not a UUID',
      'verificationAccepted',
      { verificationId: 'abc' },
      ['verificationId'],
    ],
    ['no userId', 'verificationInProgress', { userId: undefined }, ['userId']],
    ['a userId with a space', 'verificationInProgress', { userId: 'a b' }, ['userId']],
    ['REJECTED without a reason', 'verificationRejected', { reason: null }, ['reason']],
    [
      'REJECTED with a reason the seeds do not list',
      'verificationRejected',
      { reason: 'TOO_TALL' },
      ['reason'],
    ],
    ['a status that contradicts the route', 'verificationAccepted', { status: 'REJECTED' }, ['status']],
    ['a status that is no status', 'verificationInProgress', { status: 'MAYBE' }, ['status']],
    ['an email that is not text', 'verificationAccepted', { email: 42 }, ['email']],
    [
      'several bad fields',
      'verificationRejected',
      { verificationId: 7, reason: 'NOPE' },
      ['verificationId', 'reason'],
    ],
  ])('%s', async (_name, route, overrides, fields) => {
    const payload = body(route, overrides);
    expectInvalidRequest(await notify(route, payload), fields);
    if (typeof payload.userId === 'string' && !payload.userId.includes(' ')) {
      expectProblem(await userView(payload.userId), 404, 'USER_NOT_FOUND');
    }
  });

  it('refuses a body that is not a JSON object', async () => {
    expectInvalidRequest(await notify('verificationAccepted', ['not', 'an', 'object'] as never), ['body']);
  });

  it('accepts a stray reason on ACCEPTED, recording none', async () => {
    const payload = body('verificationAccepted', { reason: 'BLURRED_SELFIE' });
    await notify('verificationAccepted', payload).expect(204);
    expect(await kycOf(payload.userId as string)).toMatchObject({ status: 'ACCEPTED', reason: null });
  });
});

describe('repeats', () => {
  it('applies a repeat with the same key once, answering it the same', async () => {
    const userId = newUserId();
    const verificationId = randomUUID();
    const key = randomUUID();
    const rejected = body('verificationRejected', { userId, verificationId });
    await notify('verificationRejected', rejected, key).expect(204);
    await notify('verificationAccepted', body('verificationAccepted', { userId, verificationId })).expect(
      204,
    );

    // Applied again, it would reject the user again.
    await notify('verificationRejected', rejected, key).expect(204);
    expect(await kycOf(userId)).toMatchObject({ status: 'ACCEPTED' });
  });

  it('applies a repeat without a key (byte-identical body) once', async () => {
    const userId = newUserId();
    const verificationId = randomUUID();
    const rejected = body('verificationRejected', { userId, verificationId });
    await notify('verificationRejected', rejected, null).expect(204);
    await notify('verificationAccepted', body('verificationAccepted', { userId, verificationId })).expect(
      204,
    );

    await notify('verificationRejected', rejected, null).expect(204);
    expect(await kycOf(userId)).toMatchObject({ status: 'ACCEPTED' });
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing applied', async () => {
    const userId = newUserId();
    const verificationId = randomUUID();
    const key = randomUUID();
    await notify(
      'verificationAccepted',
      body('verificationAccepted', { userId, verificationId }),
      key,
    ).expect(204);

    const other = body('verificationRejected', { userId, verificationId });
    expectProblem(await notify('verificationRejected', other, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await kycOf(userId)).toMatchObject({ status: 'ACCEPTED' });
  });
});

describe('out-of-order delivery', () => {
  it('never lets a late IN_PROGRESS overwrite ACCEPTED', async () => {
    const userId = newUserId();
    const verificationId = randomUUID();
    await notify('verificationAccepted', body('verificationAccepted', { userId, verificationId })).expect(
      204,
    );
    await notify('verificationInProgress', body('verificationInProgress', { userId, verificationId })).expect(
      204,
    );
    expect(await kycOf(userId)).toEqual({
      required: true,
      status: 'ACCEPTED',
      reason: null,
      decidedBy: verificationId,
      verifications: [{ verificationId, status: 'ACCEPTED', reason: null }],
    });
  });

  it('never lets a late IN_PROGRESS overwrite REJECTED', async () => {
    const userId = newUserId();
    const verificationId = randomUUID();
    await notify('verificationRejected', body('verificationRejected', { userId, verificationId })).expect(
      204,
    );
    await notify('verificationInProgress', body('verificationInProgress', { userId, verificationId })).expect(
      204,
    );
    expect(await kycOf(userId)).toMatchObject({ status: 'REJECTED', reason: 'INVALID_CUSTOMER_DATA' });
  });

  it('takes ACCEPTED after REJECTED of the same verification as a re-review', async () => {
    const userId = newUserId();
    const verificationId = randomUUID();
    await notify('verificationRejected', body('verificationRejected', { userId, verificationId })).expect(
      204,
    );
    await notify('verificationAccepted', body('verificationAccepted', { userId, verificationId })).expect(
      204,
    );
    expect(await kycOf(userId)).toMatchObject({ status: 'ACCEPTED', reason: null });
  });
});
