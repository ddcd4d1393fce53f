import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { Clock, systemClock } from '@app/shared-kernel';
import { SqliteEventStore } from '../embedded/sqlite-event-store';
import { EventStore } from '../event-store.port';

/** Provides the `EventStore` port with the adapter `EVENT_STORE` names, and the `Clock`. */
@Global()
@Module({
  providers: [
    { provide: Clock, useValue: systemClock },
    {
      provide: EventStore,
      inject: [AppConfig, Clock],
      useFactory: async (config: AppConfig, clock: Clock): Promise<EventStore> => {
        const settings = config.eventStore;
        if (settings.kind === 'eventstoredb') {
          // Loaded on demand: an embedded deployment never loads the gRPC client.
          const { EsdbEventStore } = await import('../eventstoredb/esdb-event-store');
          return new EsdbEventStore({ connectionString: settings.connectionString, clock });
        }
        mkdirSync(config.dataDir, { recursive: true });
        return new SqliteEventStore({ file: join(config.dataDir, 'events.sqlite'), clock });
      },
    },
  ],
  exports: [EventStore, Clock],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  /** After every `beforeApplicationShutdown` (projections stop there), so no reader is left. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
