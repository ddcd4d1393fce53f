export * from './domain/lock-subject';
export * from './domain/lock-reasons.commands';
export * from './domain/lock-reasons.events';
export * from './domain/lock-reasons.state';
export * from './domain/lock-reasons.decider';
export * from './application/record-lock-reason-notification.command';
export * from './application/get-active-lock-reasons.query';
export * from './lock-reasons.module';
