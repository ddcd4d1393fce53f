import { Inject, Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { JweDecryptor } from './jwe-decryptor';
import { JweKeyRing } from './jwe-key-ring';
import type { LoadedJweKeys } from './load-jwe-key-ring';

const LOADED_KEYS = Symbol('LoadedJweKeys');

/**
 * Our JWE keys and the decryptor using them. The keys are loaded before Nest starts
 * (`loadJweKeyRing`), so a wrong key file stops the start with one line, not a stack.
 */
@Module({})
export class JweModule implements OnModuleInit {
  static register(loaded: LoadedJweKeys): DynamicModule {
    return {
      module: JweModule,
      providers: [
        { provide: LOADED_KEYS, useValue: loaded },
        { provide: JweKeyRing, useValue: loaded.ring },
        { provide: JweDecryptor, useValue: new JweDecryptor(loaded.ring) },
      ],
      exports: [JweKeyRing, JweDecryptor],
    };
  }

  constructor(@Inject(LOADED_KEYS) private readonly loaded: LoadedJweKeys) {}

  onModuleInit(): void {
    const { ring, devKey } = this.loaded;
    const logger = new Logger('Jwe');
    if (devKey) {
      logger.log(
        `${devKey.created ? 'Generated' : 'Using'} the development JWE key ${devKey.file} (kid ${ring.current.kid}); set JWE_PRIVATE_KEY_FILE in production`,
      );
    } else {
      logger.log(`JWE keys: ${ring.keys.map((key) => key.kid).join(', ')}; current ${ring.current.kid}`);
    }
  }
}
