import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { issueOperatorToken } from '@app/security';
import { Antaca, OPERATOR_SECRET } from '../support/antaca';
import { expectInvalidRequest, expectProblem } from '../support/problems';
import { startTestService, type TestService } from '../support/service';

/**
 * Transactional lock reason notifications over real HTTP: both routes, their validation,
 * idempotency with and without a key, out-of-order delivery, the operator's lock reasons
 * view, and attaching a user to a corporation whose reasons then apply to the user.
 */

let service: TestService;
let antaca: Antaca;
/** For the operator's PUT, which the Antaca client's operator helper does not offer. */
let operatorToken: string;

beforeAll(async () => {
  service = await startTestService();
  antaca = new Antaca(service);
  operatorToken = await issueOperatorToken(new TextEncoder().encode(OPERATOR_SECRET), {
    subject: 'test',
    ttlSeconds: 600,
  });
});
afterAll(() => service.stop());

interface LockReasonsView {
  subjectType: string;
  subjectId: string;
  active: { subjectType: string; subjectId: string; reason: string; since: string }[];
  history: {
    type: string;
    reason: string;
    timestamp: string;
    receivedAt: string;
    data: Record<string, unknown>;
  }[];
}

type Route = 'transactionalLockReasonAdded' | 'transactionalLockReasonRemoved';

/** A body as the seeds show it, for a new corporation. */
function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'corporation',
    resourceId: randomUUID(),
    lockReason: 'FRAUD_SUSPECTED',
    timestamp: '2025-06-17T13:42:54+00:00',
    ...overrides,
  };
}

const notify = (route: Route, payload: Record<string, unknown>, key: string | null = randomUUID()) =>
  antaca.post(`/notifications/${route}`, payload, key);
const add = (payload: Record<string, unknown>, key?: string | null) =>
  notify('transactionalLockReasonAdded', payload, key);
const remove = (payload: Record<string, unknown>, key?: string | null) =>
  notify('transactionalLockReasonRemoved', payload, key);

async function operatorGet(path: string) {
  return (await antaca.operator()).get(path);
}

async function lockReasons(type: string, id: unknown): Promise<LockReasonsView> {
  const response = await operatorGet(`/operator/lock-reasons/${type}/${String(id)}`);
  expect(response.status).toBe(200);
  return response.body as LockReasonsView;
}

function attachToCorporation(userId: string, payload: object, key: string | null = randomUUID()) {
  const call = request(service.operatorUrl)
    .put(`/operator/users/${userId}/corporation`)
    .set('Authorization', `Bearer ${operatorToken}`);
  return (key === null ? call : call.set('Idempotency-Key', key)).send(payload);
}

describe('happy path', () => {
  it('transactionalLockReasonAdded: 204 without a body; the reason is active since its timestamp', async () => {
    const payload = body();
    const response = await add(payload);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');

    const view = await lockReasons('corporation', payload.resourceId);
    expect(view.active).toEqual([
      {
        subjectType: 'corporation',
        subjectId: payload.resourceId,
        reason: 'FRAUD_SUSPECTED',
        since: '2025-06-17T13:42:54+00:00',
      },
    ]);
    expect(view.history).toEqual([
      {
        revision: '0',
        type: 'LockReasonAdded',
        reason: 'FRAUD_SUSPECTED',
        timestamp: '2025-06-17T13:42:54+00:00',
        receivedAt: expect.any(String),
        data: expect.objectContaining({ known: true }),
      },
    ]);
  });

  it('transactionalLockReasonRemoved: 204; a newer removal deactivates the reason', async () => {
    const payload = body();
    await add(payload).expect(204);
    const response = await remove({ ...payload, timestamp: '2025-06-17T14:00:00+00:00' });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');

    const view = await lockReasons('corporation', payload.resourceId);
    expect(view.active).toEqual([]);
    expect(view.history.map((entry) => entry.type)).toEqual(['LockReasonAdded', 'LockReasonRemoved']);
  });

  it('accepts a user with a numeric id, the type and the reason in any case', async () => {
    const userId = Math.floor(Math.random() * 1e9);
    await add(body({ resourceType: 'USER', resourceId: userId, lockReason: 'police_lock' })).expect(204);
    const view = await lockReasons('user', userId);
    expect(view.active).toEqual([
      { subjectType: 'user', subjectId: String(userId), reason: 'POLICE_LOCK', since: expect.any(String) },
    ]);
  });

  it('keeps the reasons of one subject apart', async () => {
    const payload = body();
    await add(payload).expect(204);
    await add({ ...payload, lockReason: 'ZEN_LOCK' }).expect(204);
    await remove({ ...payload, timestamp: '2025-06-17T14:00:00+00:00' }).expect(204);
    expect(
      (await lockReasons('corporation', payload.resourceId)).active.map((active) => active.reason),
    ).toEqual(['ZEN_LOCK']);
  });

  it('accepts a reason the seeds do not list: active, recorded as unknown, extra fields kept', async () => {
    const payload = body({ lockReason: 'NEGATIVE_VERIFICATION', comment: 'kept' });
    await add(payload).expect(204);
    const view = await lockReasons('corporation', payload.resourceId);
    expect(view.active.map((active) => active.reason)).toEqual(['NEGATIVE_VERIFICATION']);
    expect(view.history[0]!.data).toMatchObject({ known: false, body: { comment: 'kept' } });
  });

  it('answers 404 for a subject never notified or of an unknown type', async () => {
    expectProblem(
      await operatorGet(`/operator/lock-reasons/user/${randomUUID()}`),
      404,
      'LOCK_REASONS_NOT_FOUND',
    );
    expectProblem(await operatorGet('/operator/lock-reasons/account/1'), 404, 'LOCK_REASONS_NOT_FOUND');
  });
});

describe('bad body', () => {
  it('400 naming every missing field, nothing recorded', async () => {
    expectInvalidRequest(await add({}), ['resourceType', 'resourceId', 'lockReason', 'timestamp']);
    expectInvalidRequest(await remove({}), ['resourceType', 'resourceId', 'lockReason', 'timestamp']);
  });

  it('400 for an unknown resource type, a malformed id or a timestamp without an offset, nothing recorded', async () => {
    const payload = body({ resourceType: 'account' });
    expectInvalidRequest(await add(payload), ['resourceType']);
    expectInvalidRequest(await add(body({ resourceId: 'a b' })), ['resourceId']);
    const late = body({ timestamp: '2025-06-17T13:42:54' });
    expectInvalidRequest(await remove(late), ['timestamp']);
    expectProblem(
      await operatorGet(`/operator/lock-reasons/corporation/${String(late.resourceId)}`),
      404,
      'LOCK_REASONS_NOT_FOUND',
    );
  });
});

describe('repeat with the same key', () => {
  it('answers 204 again and records the notification once', async () => {
    const payload = body();
    const key = randomUUID();
    await add(payload, key).expect(204);
    await add(payload, key).expect(204);
    expect((await lockReasons('corporation', payload.resourceId)).history).toHaveLength(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, applying nothing', async () => {
    const payload = body();
    const key = randomUUID();
    await add(payload, key).expect(204);
    expectProblem(
      await remove({ ...payload, timestamp: '2025-06-17T14:00:00+00:00' }, key),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    const view = await lockReasons('corporation', payload.resourceId);
    expect(view.active).toHaveLength(1);
    expect(view.history).toHaveLength(1);
  });
});

describe('repeat without a key', () => {
  it('applies a byte-identical body once', async () => {
    const payload = body();
    await add(payload, null).expect(204);
    await add(payload, null).expect(204);
    const removal = { ...payload, timestamp: '2025-06-17T14:00:00+00:00' };
    await remove(removal, null).expect(204);
    await remove(removal, null).expect(204);
    expect((await lockReasons('corporation', payload.resourceId)).history.map((entry) => entry.type)).toEqual(
      ['LockReasonAdded', 'LockReasonRemoved'],
    );
  });
});

describe('out-of-order delivery', () => {
  it('leaves the reason active when its removal carries an older timestamp than its add, recorded', async () => {
    const payload = body({ timestamp: '2025-06-17T13:42:54+00:00' });
    await add(payload).expect(204);
    await remove({ ...payload, timestamp: '2025-06-17T13:00:00+00:00' }).expect(204);

    const view = await lockReasons('corporation', payload.resourceId);
    expect(view.active).toEqual([
      expect.objectContaining({ reason: 'FRAUD_SUSPECTED', since: payload.timestamp }),
    ]);
    expect(view.history[1]).toMatchObject({
      type: 'LockReasonNotificationSuperseded',
      timestamp: '2025-06-17T13:00:00+00:00',
      data: { notification: 'removed' },
    });
  });

  it('keeps the reason inactive when its add, older than the removal, arrives after it', async () => {
    const payload = body({ timestamp: '2025-06-17T13:00:00+00:00' });
    await remove({ ...payload, timestamp: '2025-06-17T14:00:00+00:00' }).expect(204);
    await add(payload).expect(204);
    expect((await lockReasons('corporation', payload.resourceId)).active).toEqual([]);
  });
});

describe('attaching a user to a corporation', () => {
  const registeredUser = async () => {
    const userId = `u-${randomUUID().slice(0, 8)}`;
    await (await antaca.operator()).post('/operator/users', { userId }).expect(201);
    return userId;
  };

  it('answers 200 {userId, corporationId}, again the same, and the corporation reasons apply to the user', async () => {
    const userId = await registeredUser();
    const corporationId = randomUUID();
    await add(body({ resourceId: corporationId, lockReason: 'PROSECUTOR_LOCK' })).expect(204);
    await add(body({ resourceType: 'user', resourceId: userId, lockReason: 'TEMPORARY_LOCKED' })).expect(204);

    const response = await attachToCorporation(userId, { corporationId });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ userId, corporationId });
    await attachToCorporation(userId, { corporationId }).expect(200, { userId, corporationId });

    const view = await operatorGet(`/operator/users/${userId}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ userId, corporationId });
    const active = (view.body as { lockReasons: { subjectType: string; reason: string }[] }).lockReasons;
    expect(active.map(({ subjectType, reason }) => `${subjectType}:${reason}`).sort()).toEqual([
      'corporation:PROSECUTOR_LOCK',
      'user:TEMPORARY_LOCKED',
    ]);
  });

  it('moves a user to another corporation', async () => {
    const userId = await registeredUser();
    await attachToCorporation(userId, { corporationId: 'corp-1' }).expect(200);
    await attachToCorporation(userId, { corporationId: 42 }).expect(200, { userId, corporationId: '42' });
    expect((await operatorGet(`/operator/users/${userId}`)).body).toMatchObject({ corporationId: '42' });
  });

  it('answers 404 USER_NOT_FOUND for an unknown user, and attaches it once registered (no key given)', async () => {
    const userId = `u-${randomUUID().slice(0, 8)}`;
    expectProblem(
      await attachToCorporation(userId, { corporationId: 'corp-1' }, null),
      404,
      'USER_NOT_FOUND',
    );
    await (await antaca.operator()).post('/operator/users', { userId }).expect(201);
    await attachToCorporation(userId, { corporationId: 'corp-1' }, null).expect(200);
  });

  it('answers a repeated Idempotency-Key with the recorded answer, and refuses it for another body', async () => {
    const userId = `u-${randomUUID().slice(0, 8)}`;
    const key = randomUUID();
    expectProblem(await attachToCorporation(userId, { corporationId: 'corp-1' }, key), 404, 'USER_NOT_FOUND');
    await (await antaca.operator()).post('/operator/users', { userId }).expect(201);
    expectProblem(await attachToCorporation(userId, { corporationId: 'corp-1' }, key), 404, 'USER_NOT_FOUND');
    expectProblem(
      await attachToCorporation(userId, { corporationId: 'corp-2' }, key),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it('answers 400 naming corporationId for a bad body', async () => {
    const userId = await registeredUser();
    expectInvalidRequest(await attachToCorporation(userId, {}), ['corporationId']);
    expectInvalidRequest(await attachToCorporation(userId, { corporationId: 'not valid' }), [
      'corporationId',
    ]);
  });
});
