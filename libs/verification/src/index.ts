export * from './domain/kyc';
export * from './domain/verification.events';
export * from './domain/verification.decider';
export * from './domain/user-kyc.decider';
export * from './application/record-verification-notification.command';
export * from './application/get-user-kyc.query';
export * from './verification.module';
