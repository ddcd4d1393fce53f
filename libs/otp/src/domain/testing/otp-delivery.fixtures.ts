import type {
  RecordOtpDelivered,
  RecordOtpDeliveryFailed,
  RequestOtpDelivery,
} from '../otp-delivery.commands';
import type { OtpDelivered, OtpDeliveryFailed, OtpDeliveryRequested } from '../otp-delivery.events';

export const DELIVERY_ID = '5d41402abc4b2a76b9719d911017c592';

/** The seeds' example (storageCardId 1337, 1000 PLN minor units at "merchant test"). */
export function requestDelivery(overrides: Partial<OtpDeliveryRequested['data']> = {}): RequestOtpDelivery {
  return {
    type: 'RequestOtpDelivery',
    delivery: {
      deliveryId: DELIVERY_ID,
      request: { idempotencyKey: '20e87975-dbfb-4c95-b239-169516c0b707', requestHash: 'hash-1' },
      cardId: '1337',
      customerId: '1337',
      balanceId: 'b334b384-328c-11ed-a261-0242ac120002',
      amountMinor: 1000,
      currency: 'PLN',
      merchantName: 'merchant test',
      requestedAt: '2024-05-01T10:00:00.000Z',
      expiresAt: '2024-05-01T10:10:00.000Z',
      ...overrides,
    },
  };
}

export function requested(command: RequestOtpDelivery = requestDelivery()): OtpDeliveryRequested {
  return { type: 'OtpDeliveryRequested', data: command.delivery };
}

export function recordDelivered(
  overrides: Partial<Omit<RecordOtpDelivered, 'type'>> = {},
): RecordOtpDelivered {
  return {
    type: 'RecordOtpDelivered',
    channel: 'webhook',
    deliveredAt: '2024-05-01T10:00:02.000Z',
    attempts: 3,
    ...overrides,
  };
}

export function delivered(command: RecordOtpDelivered = recordDelivered()): OtpDelivered {
  const { channel, deliveredAt, attempts } = command;
  return { type: 'OtpDelivered', data: { deliveryId: DELIVERY_ID, channel, deliveredAt, attempts } };
}

export function recordFailed(
  overrides: Partial<Omit<RecordOtpDeliveryFailed, 'type'>> = {},
): RecordOtpDeliveryFailed {
  return {
    type: 'RecordOtpDeliveryFailed',
    reason: 'attempts-exhausted',
    failedAt: '2024-05-01T10:01:00.000Z',
    attempts: 8,
    lastError: 'HTTP 503',
    ...overrides,
  };
}

export function failed(command: RecordOtpDeliveryFailed = recordFailed()): OtpDeliveryFailed {
  const { reason, failedAt, attempts, lastError } = command;
  return {
    type: 'OtpDeliveryFailed',
    data: { deliveryId: DELIVERY_ID, reason, failedAt, attempts, lastError },
  };
}
