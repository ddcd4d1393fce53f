import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStoreModule, ProjectionsModule } from '@app/event-store';
import { HealthController } from './operator/health.controller';

/** The whole service: one application behind two listeners (see `http/listeners.ts`). */
@Module({})
export class AppModule {
  /** `config` is the awaited `AppConfigModule.forRoot()`, validated before anything starts. */
  static register(config: DynamicModule): DynamicModule {
    return {
      module: AppModule,
      imports: [config, CqrsModule.forRoot(), EventStoreModule, ProjectionsModule],
      controllers: [HealthController],
    };
  }
}
