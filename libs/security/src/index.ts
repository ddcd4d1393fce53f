export * from './idempotency/idempotency-cache';
export * from './idempotency/idempotent-executor';
export * from './idempotency/request-fingerprint';
export * from './security.module';
export * from './operator-tokens/operator-token-secret';
export * from './operator-tokens/operator-tokens';
