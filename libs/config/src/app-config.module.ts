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
    return (await AppConfigModule.load(options)).module;
  }

  /**
   * The module and the settings it provides, for what must be built before Nest starts:
   * the callback API's HTTPS server is created with the Fastify adapter, ahead of the modules.
   */
  static async load(
    options: { env?: Environment } = {},
  ): Promise<{ module: DynamicModule; config: AppConfig }> {
    const explicit = options.env;
    let parsed: AppConfig | undefined;
    const config = await ConfigModule.forRoot({
      ignoreEnvFile: explicit !== undefined,
      ignoreEnvVars: explicit !== undefined,
      validate: (raw) => {
        parsed = parseAppConfig(explicit ?? raw);
        return { [APP_CONFIG_KEY]: parsed };
      },
    });
    if (!parsed) throw new Error('ConfigModule.forRoot returned without validating the settings');
    return {
      config: parsed,
      module: {
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
      },
    };
  }
}
