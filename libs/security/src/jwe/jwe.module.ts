import { Logger, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { JweDecryptor } from './jwe-decryptor';
import { JweKeyRing } from './jwe-key-ring';
import { loadJweKeyRing } from './load-jwe-key-ring';

/** Our JWE keys (configured, or a development key under DATA_DIR) and the decryptor using them. */
@Module({
  providers: [
    {
      provide: JweKeyRing,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const { ring, devKey } = await loadJweKeyRing(config.jwe.privateKeyFiles, config.dataDir);
        const logger = new Logger('Jwe');
        if (devKey) {
          logger.log(
            `${devKey.created ? 'Generated a' : 'Using the'} development JWE key at ${devKey.file} (kid ${ring.current.kid}); set JWE_PRIVATE_KEY_FILE in production`,
          );
        } else {
          logger.log(`JWE keys: ${ring.keys.map((key) => key.kid).join(', ')} (current ${ring.current.kid})`);
        }
        return ring;
      },
    },
    { provide: JweDecryptor, inject: [JweKeyRing], useFactory: (ring: JweKeyRing) => new JweDecryptor(ring) },
  ],
  exports: [JweKeyRing, JweDecryptor],
})
export class JweModule {}
