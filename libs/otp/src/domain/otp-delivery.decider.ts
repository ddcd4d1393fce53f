import { assertNever, type Decider, type RequestRef } from '@app/shared-kernel';
import type { OtpDeliveryCommand } from './otp-delivery.commands';
import type { OtpDeliveryEvent } from './otp-delivery.events';
import { initialOtpDeliveryState, type OtpDeliveryState } from './otp-delivery.state';

/** Stream of one OTP delivery: `otp-<deliveryId>`. */
export const otpDeliveryStream = (deliveryId: string): string => `otp-${deliveryId}`;

/**
 * The OtpDelivery decider: an OTP accepted once, then delivered or failed once. Pure.
 *
 * Every step may be driven twice: the notifier request and the outbox worker both record the
 * request (the worker repairs a crash between the outbox write and this append), and the
 * worker records the outcome again if it crashed before deleting its outbox row. So a step
 * already taken decides nothing; only a step out of order (an outcome before any request) is
 * a bug, and throws.
 */
export const otpDelivery: Decider<OtpDeliveryCommand, OtpDeliveryState, OtpDeliveryEvent> = {
  initialState: initialOtpDeliveryState,
  evolve,
  decide,
};

function decide(command: OtpDeliveryCommand, state: OtpDeliveryState): readonly OtpDeliveryEvent[] {
  switch (command.type) {
    case 'RequestOtpDelivery':
      // A repeat or a reuse of the key: `otpRequestOutcome` tells which; nothing to record.
      if (state.status !== 'unknown') return [];
      assertDelivery(command.delivery.amountMinor, command.delivery.requestedAt, command.delivery.expiresAt);
      return [{ type: 'OtpDeliveryRequested', data: command.delivery }];
    case 'RecordOtpDelivered': {
      const deliveryId = pendingDelivery(state, command.type);
      if (deliveryId === undefined) return [];
      const { channel, deliveredAt, attempts } = command;
      return [{ type: 'OtpDelivered', data: { deliveryId, channel, deliveredAt, attempts } }];
    }
    case 'RecordOtpDeliveryFailed': {
      const deliveryId = pendingDelivery(state, command.type);
      if (deliveryId === undefined) return [];
      const { reason, failedAt, attempts, lastError } = command;
      return [{ type: 'OtpDeliveryFailed', data: { deliveryId, reason, failedAt, attempts, lastError } }];
    }
    default:
      return assertNever(command);
  }
}

/** The delivery id while an outcome may still be recorded; undefined once one was. */
function pendingDelivery(state: OtpDeliveryState, command: string): string | undefined {
  if (state.status === 'unknown' || state.deliveryId === null) {
    throw new Error(`${command} for an OTP delivery that was never requested`);
  }
  return state.status === 'pending' ? state.deliveryId : undefined;
}

function assertDelivery(amountMinor: number, requestedAt: string, expiresAt: string): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(`amountMinor must be a non-negative safe integer, got ${amountMinor}`);
  }
  if (!(Date.parse(expiresAt) > Date.parse(requestedAt))) {
    throw new RangeError('An OTP must expire after it was requested');
  }
}

function evolve(state: OtpDeliveryState, event: OtpDeliveryEvent): OtpDeliveryState {
  switch (event.type) {
    case 'OtpDeliveryRequested':
      return { status: 'pending', deliveryId: event.data.deliveryId, request: event.data.request };
    case 'OtpDelivered':
      return { ...state, status: 'delivered' };
    case 'OtpDeliveryFailed':
      return { ...state, status: 'failed' };
    default:
      return assertNever(event);
  }
}

/**
 * The answer to a notifier request once the stream is known: `none` (not recorded),
 * `accepted` (recorded for this very request: a repeat gets 204 again) or `reused` (the key
 * was recorded with another request's hash: 422, nothing delivered).
 */
export function otpRequestOutcome(
  state: OtpDeliveryState,
  request: RequestRef,
): 'none' | 'accepted' | 'reused' {
  if (state.request === null) return 'none';
  return state.request.requestHash === request.requestHash ? 'accepted' : 'reused';
}
