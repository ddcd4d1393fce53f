import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Global, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { Clock } from '@app/shared-kernel';
import { IdempotencyCache } from './idempotency/idempotency-cache';
import { IdempotentExecutor } from './idempotency/idempotent-executor';
import { resolveOperatorSecret } from './operator-tokens/operator-token-secret';
import { OperatorTokenVerifier } from './operator-tokens/operator-tokens';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

@Global()
@Module({
  providers: [
    {
      provide: IdempotencyCache,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        mkdirSync(config.dataDir, { recursive: true });
        return new IdempotencyCache(join(config.dataDir, 'idempotency.sqlite'));
      },
    },
    {
      provide: IdempotentExecutor,
      inject: [IdempotencyCache, Clock, AppConfig],
      useFactory: (cache: IdempotencyCache, clock: Clock, config: AppConfig) =>
        new IdempotentExecutor(cache, clock, config.idempotencyRetentionDays),
    },
    {
      provide: OperatorTokenVerifier,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new OperatorTokenVerifier(
          config.operator.jwksUrl
            ? { jwksUrl: config.operator.jwksUrl }
            : { secret: resolveOperatorSecret(config) },
        ),
    },
  ],
  exports: [IdempotentExecutor, OperatorTokenVerifier],
})
export class SecurityModule implements OnModuleInit, OnApplicationShutdown {
  private pruning: NodeJS.Timeout | undefined;

  constructor(
    private readonly executor: IdempotentExecutor,
    private readonly cache: IdempotencyCache,
  ) {}

  onModuleInit(): void {
    this.executor.pruneExpired();
    this.pruning = setInterval(() => this.executor.pruneExpired(), PRUNE_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruning);
    this.cache.close();
  }
}
