import { Module } from '@nestjs/common';
import { GetTransactionLifecycleHandler } from './application/get-transaction-lifecycle.query';
import { RecordTransactionNotificationHandler } from './application/record-transaction-notification.command';
import { RecordTransactionLifecycleWhenBalanceChanges } from './application/record-transaction-lifecycle-when-balance-changes.reactor';

/**
 * Transaction lifecycles: the reactor that records balance events into `transaction-<id>`
 * streams, Antaca's transaction notifications recorded beside them, and the operator's read
 * of one lifecycle. Needs the (global) EventStoreModule and
 * ProjectionsModule for `EventStore` and `READ_MODEL_DB`.
 */
@Module({
  providers: [
    RecordTransactionLifecycleWhenBalanceChanges,
    GetTransactionLifecycleHandler,
    RecordTransactionNotificationHandler,
  ],
  exports: [RecordTransactionLifecycleWhenBalanceChanges],
})
export class TransactionsModule {}
