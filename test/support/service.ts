import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '@app/config';
import { bootstrap, type RunningService } from '../../apps/api/src/bootstrap';
import { OPERATOR_SECRET as OPERATOR_JWT_SECRET } from './antaca';
import { devClientTls, type ClientTls } from './client-tls';

export interface TestService extends RunningService {
  readonly dataDir: string;
  /** Everything the service logged, one JSON line per entry. */
  readonly log: string[];
  /**
   * The generated dev client certificate (and dev CA) when the service runs on the dev set;
   * undefined when the test configured its own `TLS_*` files and brings its own certificates.
   */
  readonly clientTls: ClientTls | undefined;
  /** Stops the service and removes its data folder. */
  stop(): Promise<void>;
}

/** Starts the real service on free loopback ports with a fresh data folder. */
export async function startTestService(env: Environment = {}): Promise<TestService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'service-'));
  const log: string[] = [];
  const service = await bootstrap({
    env: {
      PORT: '0',
      OPERATOR_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      OPERATOR_JWT_SECRET,
      ...env,
    },
    logSink: (line) => log.push(line),
  });
  return {
    ...service,
    dataDir,
    log,
    clientTls:
      service.devCertificates?.server && service.devCertificates.clients
        ? devClientTls(service.devCertificates.files)
        : undefined,
    stop: async () => {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
