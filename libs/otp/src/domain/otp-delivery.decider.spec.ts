import { given } from './testing/given';
import {
  DELIVERY_ID,
  delivered,
  failed,
  recordDelivered,
  recordFailed,
  requestDelivery,
  requested,
} from './testing/otp-delivery.fixtures';
import { otpDeliveryStream, otpRequestOutcome } from './otp-delivery.decider';
import { initialOtpDeliveryState } from './otp-delivery.state';
import { isRetryableStatus, OTP_DELIVERY_MAX_ATTEMPTS, otpRetryDelayMs } from './otp-retry-policy';

describe('OtpDelivery decider', () => {
  it('names the stream after the delivery id', () => {
    expect(otpDeliveryStream(DELIVERY_ID)).toBe(`otp-${DELIVERY_ID}`);
  });

  describe('request', () => {
    it('accepts an OTP for delivery, recording what it is about and never the code', () => {
      const command = requestDelivery();
      const state = given([])
        .when(command)
        .then([requested(command)]);
      expect(state).toEqual({
        status: 'pending',
        deliveryId: DELIVERY_ID,
        request: command.delivery.request,
      });
      expect(JSON.stringify(requested(command))).not.toMatch(/otp"|code/i);
    });

    it('records nothing for a repeat of the same request, and answers it as accepted', () => {
      const command = requestDelivery();
      const state = given([requested(command)])
        .when(command)
        .then([]);
      expect(otpRequestOutcome(state, command.delivery.request)).toBe('accepted');
    });

    it('records nothing for another request under the same key, and tells it is a reuse', () => {
      const reuse = requestDelivery({
        request: { idempotencyKey: '20e87975-dbfb-4c95-b239-169516c0b707', requestHash: 'hash-2' },
        amountMinor: 5,
      });
      const state = given([requested()]).when(reuse).then([]);
      expect(otpRequestOutcome(state, reuse.delivery.request)).toBe('reused');
    });

    it('records nothing for a request arriving after the delivery ended', () => {
      given([requested(), delivered()]).when(requestDelivery()).then([]);
      given([requested(), failed()]).when(requestDelivery()).then([]);
    });

    it('tells a request never recorded', () => {
      expect(otpRequestOutcome(initialOtpDeliveryState(), requestDelivery().delivery.request)).toBe('none');
    });

    it('refuses a negative or unsafe amount and an expiry not after the request', () => {
      given([])
        .when(requestDelivery({ amountMinor: -1 }))
        .thenThrows(/amountMinor/);
      given([])
        .when(requestDelivery({ amountMinor: 2 ** 53 }))
        .thenThrows(/amountMinor/);
      given([])
        .when(requestDelivery({ expiresAt: '2024-05-01T10:00:00.000Z' }))
        .thenThrows(/expire after/);
    });
  });

  describe('delivery', () => {
    it('records the delivery of a pending OTP, with its channel and attempts', () => {
      const command = recordDelivered({ attempts: 3 });
      const state = given([requested()])
        .when(command)
        .then([delivered(command)]);
      expect(state.status).toBe('delivered');
    });

    it('records a dev-inbox delivery', () => {
      const command = recordDelivered({ channel: 'dev-inbox', attempts: 1 });
      given([requested()])
        .when(command)
        .then([delivered(command)]);
    });

    it('records nothing when the outcome is recorded again (a crash before the outbox row was deleted)', () => {
      given([requested(), delivered()]).when(recordDelivered()).then([]);
      given([requested(), failed()]).when(recordDelivered()).then([]);
    });

    it('refuses to record a delivery that was never requested', () => {
      given([])
        .when(recordDelivered())
        .thenThrows(/never requested/);
    });
  });

  describe('failure', () => {
    it.each(['attempts-exhausted', 'rejected', 'expired'] as const)('records a failure: %s', (reason) => {
      const command = recordFailed({ reason });
      const state = given([requested()])
        .when(command)
        .then([failed(command)]);
      expect(state.status).toBe('failed');
    });

    it('records nothing for a failure after the outcome is known', () => {
      given([requested(), delivered()])
        .when(recordFailed({ reason: 'expired' }))
        .then([]);
      given([requested(), failed()]).when(recordFailed()).then([]);
    });

    it('refuses to record a failure of a delivery that was never requested', () => {
      given([])
        .when(recordFailed())
        .thenThrows(/never requested/);
    });
  });
});

describe('OTP retry policy', () => {
  it('doubles the wait from 500 ms up to 30 s, with half of it random', () => {
    expect([1, 2, 3, 4].map((attempt) => otpRetryDelayMs(attempt, 0))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((attempt) => otpRetryDelayMs(attempt, 0.999999))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect(otpRetryDelayMs(20, 0.5)).toBe(22_500);
  });

  it('bounds the number of attempts', () => {
    expect(OTP_DELIVERY_MAX_ATTEMPTS).toBeGreaterThan(1);
    expect(OTP_DELIVERY_MAX_ATTEMPTS).toBeLessThanOrEqual(10);
  });

  it('refuses a count of failures that is not a positive integer', () => {
    expect(() => otpRetryDelayMs(0, 0.5)).toThrow(RangeError);
  });

  it('retries timeouts, throttling and server errors, not other refusals', () => {
    expect([408, 425, 429, 500, 502, 503].every(isRetryableStatus)).toBe(true);
    expect([301, 400, 401, 403, 404, 410, 422].some(isRetryableStatus)).toBe(false);
  });
});
