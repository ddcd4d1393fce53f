import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORWARDED_CLIENT_CERTIFICATE_HEADER, issueOperatorToken } from '@app/security';

const SECRET = 'bench-operator-secret-of-at-least-32-chars';

/** The client side of mutual TLS, from the dev certificates the service made under its DATA_DIR. */
export interface ClientTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** The built service in a child process on a fresh data folder, as a newcomer starts it. */
export class BenchService {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dataDir: string,
    readonly callbackUrl: string,
    readonly operatorUrl: string,
  ) {}

  static async start(root: string, env: Record<string, string>, profileDir?: string): Promise<BenchService> {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-'));
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = spawn(process.execPath, [...profile, join(root, 'dist/apps/api/src/main.js')], {
      env: {
        ...process.env,
        PORT: '0',
        OPERATOR_PORT: '0',
        DATA_DIR: dataDir,
        OPERATOR_JWT_SECRET: SECRET,
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const { callbackUrl, operatorUrl } = await addressesOf(child);
      return new BenchService(child, dataDir, callbackUrl, operatorUrl);
    } catch (error) {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get clientTls(): ClientTls {
    const file = (name: string) => readFileSync(join(this.dataDir, 'tls', name), 'utf8');
    return { ca: file('ca.pem'), cert: file('client.pem'), key: file('client-key.pem') };
  }

  /** Registers, links and funds `count` balances; returns their ids. */
  async fundedBalances(count: number, fundingMinor: number): Promise<string[]> {
    const token = await issueOperatorToken(new TextEncoder().encode(SECRET), {
      subject: 'bench',
      ttlSeconds: 3600,
    });
    const operator = (path: string, body: object) =>
      fetch(`${this.operatorUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(body),
      }).then(async (response) => {
        if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      });
    const balanceIds: string[] = [];
    for (let index = 0; index < count; index++) {
      const userId = `bench-${index}`;
      const balanceId = randomUUID();
      await operator('/operator/users', { userId });
      await this.callback('POST', `/users/${userId}/balances`, { balanceId, currency: 'PLN' });
      await operator(`/operator/balances/${balanceId}/credits`, {
        amount: fundingMinor,
        reason: 'bench funding',
        reference: `bench-${index}`,
      });
      balanceIds.push(balanceId);
    }
    return balanceIds;
  }

  /**
   * One call to the callback API, over mutual TLS or (behind-proxy mode) plain HTTP with the
   * forwarded certificate; resolves with the JSON answer, if any.
   */
  callback(method: string, path: string, body?: object): Promise<unknown> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const url = `${this.callbackUrl}${path}`;
      const send = url.startsWith('https:') ? httpsRequest : httpRequest;
      const call = send(
        url,
        {
          method,
          ...this.clientTls,
          headers: {
            [FORWARDED_CLIENT_CERTIFICATE_HEADER]: encodeURIComponent(this.clientTls.cert),
            'x-idempotency-key': randomUUID(),
            ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 300) reject(new Error(`${method} ${path}: ${status} ${text}`));
            else resolve(text === '' ? undefined : JSON.parse(text));
          });
        },
      );
      call.on('error', reject);
      call.end(payload);
    });
  }

  stop(): void {
    this.child.kill('SIGTERM');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function addressesOf(child: ChildProcess): Promise<{ callbackUrl: string; operatorUrl: string }> {
  return new Promise((done, fail) => {
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /Callback API on (\S+), operator API on ([^\s"]+)/.exec(output);
      if (match) done({ callbackUrl: match[1]!, operatorUrl: match[2]! });
    });
    child.once('exit', (code) =>
      fail(new Error(`The service exited (${code}) before it started: ${output}`)),
    );
  });
}
