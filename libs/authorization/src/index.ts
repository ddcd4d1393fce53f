export * from './domain/authorization-rules';
export * from './application/locks-and-kyc.authorization-policy';
export * from './authorization.module';
