export * from './domain/transaction.commands';
export * from './domain/transaction.events';
export * from './domain/transaction.state';
export * from './domain/transaction.decider';
export * from './application/get-transaction-lifecycle.query';
export * from './application/record-transaction-lifecycle-when-balance-changes.reactor';
export * from './transactions.module';
