import type { RecordTransactionNotification } from '../transaction.commands';
import type { TransactionNotified } from '../transaction.events';
import { LIFECYCLE_ID, requestRef } from './transaction.fixtures';

/** The notifier's command for one notification about `LIFECYCLE_ID`, as the application builds it. */
export function notify(overrides: Partial<TransactionNotified['data']> = {}): RecordTransactionNotification {
  return {
    type: 'RecordTransactionNotification',
    notification: {
      lifecycleId: LIFECYCLE_ID,
      request: requestRef(),
      status: 'SUCCESS',
      date: '2023-11-17T11:32:16+00:00',
      description: 'APPROVED',
      invalidFields: [],
      transaction: { id: LIFECYCLE_ID, status: 'AUTHORIZED', amount: 10000, currency: 'PLN' },
      ...overrides,
    },
  };
}

/** The event `notify()` records. */
export function notified(command: RecordTransactionNotification): TransactionNotified {
  return { type: 'TransactionNotified', data: command.notification };
}
