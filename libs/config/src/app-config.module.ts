import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';
import { parseAppConfig, type Environment } from './parse-app-config';

const APP_CONFIG_KEY = 'appConfig';

/**
 * `@nestjs/config` reads the environment (and a `.env` file in the working directory, if
 * any); `parseAppConfig` validates it into the typed `AppConfig` that the rest injects.
 * Awaiting `forRoot()` runs the validation, so `main.ts` can report a bad setting in one
 * line before anything starts.
 */
@Module({})
export class AppConfigModule {
  /** `env` replaces the process environment (tests); `.env` is then not read either. */
  static async forRoot(options: { env?: Environment } = {}): Promise<DynamicModule> {
    const explicit = options.env;
    const config = await ConfigModule.forRoot({
      ignoreEnvFile: explicit !== undefined,
      ignoreEnvVars: explicit !== undefined,
      validate: (raw) => ({ [APP_CONFIG_KEY]: parseAppConfig(explicit ?? raw) }),
    });
    return {
      module: AppConfigModule,
      global: true,
      imports: [config],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (service: ConfigService) => service.getOrThrow<AppConfig>(APP_CONFIG_KEY),
        },
      ],
      exports: [AppConfig],
    };
  }
}
