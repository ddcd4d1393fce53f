import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { devCertificateFiles } from '@app/security';
import { OPERATOR_SECRET } from './antaca';
import { devClientTls, type ClientTls } from './client-tls';

const root = resolve(__dirname, '../..');
const STARTUP_TIMEOUT_MS = 30_000;

export interface ServiceProcess {
  readonly callbackUrl: string;
  readonly operatorUrl: string;
  /** The generated dev client certificate, when `env` leaves the server pair and the client CA to the dev set. */
  readonly clientTls: ClientTls | undefined;
  readonly child: ChildProcess;
  /** Everything the process wrote on stdout (JSON log lines). */
  readonly output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The real service in its own process (from the TypeScript sources, like `npm start` but
 * without a build), so a test can SIGKILL it. Ports are picked by the system and read from
 * the start-up log line.
 */
export async function startServiceProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    ['-r', join(root, 'test/support/register-ts.js'), join(root, 'apps/api/src/main.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        OPERATOR_PORT: '0',
        DATA_DIR: dataDir,
        OPERATOR_JWT_SECRET: OPERATOR_SECRET,
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let match: RegExpExecArray | null = null;
  while (!(match = /Callback API on (\S+), operator API on ([^\s"]+)/.exec(output))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The service did not start:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 50));
  }
  return {
    callbackUrl: match[1]!,
    operatorUrl: match[2]!,
    clientTls:
      env.TLS_CERT_FILE === undefined && env.TLS_CLIENT_CA_FILE === undefined
        ? devClientTls(devCertificateFiles(dataDir))
        : undefined,
    child,
    output: () => output,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
