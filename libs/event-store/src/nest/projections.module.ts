import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Global,
  Inject,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { AppConfig } from '@app/config';
import { EventStore } from '../event-store.port';
import { projectionOptionsOf, type ReadModelProjection } from '../projections/projection';
import { ProjectionRunner, type RegisteredProjection } from '../projections/projection-runner';
import { openReadModelDatabase, type ReadModelDb } from '../projections/read-model-database';

/** DI token of the read-model database (a better-sqlite3 handle). */
export const READ_MODEL_DB = Symbol('ReadModelDb');

/**
 * Runs every provider decorated with `@Projection` from one catch-up subscription, from
 * application bootstrap to shutdown. Query handlers inject `READ_MODEL_DB` to read, and the
 * `ProjectionRunner` to wait for their own writes.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: READ_MODEL_DB,
      inject: [AppConfig],
      useFactory: (config: AppConfig): ReadModelDb => {
        mkdirSync(config.dataDir, { recursive: true });
        return openReadModelDatabase(join(config.dataDir, 'read-models.sqlite'));
      },
    },
    {
      provide: ProjectionRunner,
      inject: [EventStore, READ_MODEL_DB, DiscoveryService],
      useFactory: (store: EventStore, db: ReadModelDb, discovery: DiscoveryService) => {
        const logger = new Logger('Projections');
        return new ProjectionRunner(store, db, discoverProjections(discovery), (error, event) =>
          logger.error(
            `Read models stopped at ${event.type} (${event.streamId}@${event.revision}): ${describe(error)}`,
          ),
        );
      },
    },
  ],
  exports: [READ_MODEL_DB, ProjectionRunner],
})
export class ProjectionsModule
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(READ_MODEL_DB) private readonly db: ReadModelDb,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  onApplicationShutdown(): void {
    if (this.db.open) this.db.close();
  }
}

function discoverProjections(discovery: DiscoveryService): RegisteredProjection[] {
  return discovery.getProviders().flatMap((wrapper) => {
    const options = wrapper.metatype ? projectionOptionsOf(wrapper.metatype) : undefined;
    return options ? [{ options, projection: wrapper.instance as ReadModelProjection }] : [];
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
