/**
 * `npm run bench`: the money path under load. Starts the built service on the embedded
 * store in a child process (fresh data folder), links and funds many balances, then drives
 * debits with distinct idempotency keys over 50 keep-alive connections for a fixed time.
 * Prints requests/s and latency percentiles and writes them as JSON under bench-results/.
 *
 * `BENCH_PROFILE=1 npm run bench` also writes a V8 CPU profile of the service under
 * bench-results/profiles/ (open it in Chrome DevTools) to see where the time goes.
 *
 * Figures from one run only mean something next to figures from the same run or machine:
 * compare ratios, and quote the median of several runs.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { issueOperatorToken } from '@app/security';

// Compiled to dist/test/bench/: the repository root is three levels up.
const root = resolve(__dirname, '../../..');
const SECRET = 'bench-operator-secret-of-at-least-32-chars';
const settings = {
  balances: 200,
  connections: 50,
  durationSeconds: 15,
  amountMinor: 1,
  fundingMinor: 1_000_000_000,
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-'));
  const profile =
    process.env.BENCH_PROFILE === '1'
      ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'bench-results/profiles')}`]
      : [];
  const service = spawn(process.execPath, [...profile, join(root, 'dist/apps/api/src/main.js')], {
    env: {
      ...process.env,
      PORT: '0',
      OPERATOR_PORT: '0',
      DATA_DIR: dataDir,
      OPERATOR_JWT_SECRET: SECRET,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const { callbackUrl, operatorUrl } = await addressesOf(service);
    const balanceIds = await setUp(operatorUrl, callbackUrl);
    const result = await load(callbackUrl, balanceIds);
    const summary = {
      date: new Date().toISOString(),
      scenario: 'debit, distinct keys, embedded store, plain HTTP',
      ...settings,
      requestsPerSecond: result.requests.average,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      responses: {
        total: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
      },
    };
    report(summary);
  } finally {
    service.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function addressesOf(
  service: ReturnType<typeof spawn>,
): Promise<{ callbackUrl: string; operatorUrl: string }> {
  return new Promise((done, fail) => {
    let output = '';
    service.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /Callback API on (\S+), operator API on ([^\s"]+)/.exec(output);
      if (match) done({ callbackUrl: match[1]!, operatorUrl: match[2]! });
    });
    service.once('exit', (code) =>
      fail(new Error(`The service exited (${code}) before it started: ${output}`)),
    );
  });
}

async function setUp(operatorUrl: string, callbackUrl: string): Promise<string[]> {
  const token = await issueOperatorToken(new TextEncoder().encode(SECRET), {
    subject: 'bench',
    ttlSeconds: 3600,
  });
  const call = async (url: string, body: object, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': randomUUID(),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  };
  const balanceIds: string[] = [];
  for (let index = 0; index < settings.balances; index++) {
    const userId = `bench-${index}`;
    const balanceId = randomUUID();
    await call(`${operatorUrl}/operator/users`, { userId });
    await call(
      `${callbackUrl}/users/${userId}/balances`,
      { balanceId, currency: 'PLN' },
      { 'x-idempotency-key': randomUUID() },
    );
    await call(`${operatorUrl}/operator/balances/${balanceId}/credits`, {
      amount: settings.fundingMinor,
      reason: 'bench funding',
      reference: `bench-${index}`,
    });
    balanceIds.push(balanceId);
  }
  return balanceIds;
}

function load(callbackUrl: string, balanceIds: string[]): Promise<autocannon.Result> {
  let sequence = 0;
  return autocannon({
    url: callbackUrl,
    connections: settings.connections,
    duration: settings.durationSeconds,
    requests: [
      {
        method: 'POST',
        path: '/transactions/debit',
        setupRequest: (request) => {
          const balanceId = balanceIds[sequence++ % balanceIds.length]!;
          return {
            ...request,
            headers: { 'content-type': 'application/json', 'x-idempotency-key': randomUUID() },
            body: JSON.stringify({
              id: randomUUID(),
              balanceId,
              resourceId: '9d673932-3291-11ed-a261-0242ac120002',
              resource: 'card',
              transactionId: String(sequence),
              type: 'POS',
              amount: settings.amountMinor,
              currency: 'PLN',
              status: 'AUTHORIZED',
              description: 'bench',
              date: '2023-01-01T10:10:54+00:00',
              transactionData: { mcc: '5942', cardId: '222' },
            }),
          };
        },
      },
    ],
  });
}

function report(
  summary: Record<string, unknown> & { requestsPerSecond: number; latencyMs: Record<string, number> },
): void {
  const lines = [
    `scenario          ${String(summary.scenario)}`,
    `requests/s        ${summary.requestsPerSecond.toFixed(0)}`,
    `latency p50 (ms)  ${summary.latencyMs.p50}`,
    `latency p99 (ms)  ${summary.latencyMs.p99}`,
    `responses         ${JSON.stringify(summary.responses)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${String(summary.date).replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`written to ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
