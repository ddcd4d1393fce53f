/**
 * `npm run bench`: the money path under load, over each transport the callback API offers.
 * Every run starts the built service on the embedded store in a child process (fresh data
 * folder), links and funds many balances, then drives debits with distinct idempotency keys
 * over keep-alive connections for a fixed time. Scenarios are interleaved round by round so
 * machine noise spreads over all of them; the table gives each scenario's median over the
 * rounds and its ratio to the first scenario. JSON goes to bench-results/.
 *
 * Transports: `plain` runs the service behind-proxy (TLS_TERMINATING_PROXIES) and sends the
 * client certificate in the forwarded header, which is what TLS costs are measured against.
 *
 * Settings (environment): BENCH_ROUNDS (3), BENCH_DURATION_S (15), BENCH_SCENARIOS
 * (comma-separated names, default all), BENCH_PROFILE=1 (V8 CPU profiles of the service
 * under bench-results/profiles/, to open in Chrome DevTools).
 *
 * Figures from one run only mean something next to figures from the same run or machine:
 * compare ratios, and quote medians.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { FORWARDED_CLIENT_CERTIFICATE_HEADER } from '@app/security';
import { BenchService } from './bench-service';
import { debitBody, encryptedDebitBodies, importServiceKey } from './workload';

// Compiled to dist/test/bench/: the repository root is three levels up.
const root = resolve(__dirname, '../../..');
const settings = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  durationSeconds: Number(process.env.BENCH_DURATION_S ?? 15),
  balances: 200,
  connections: 50,
  amountMinor: 1,
  fundingMinor: 1_000_000_000,
  /** Enough encrypted bodies for the fastest run seen so far, with room to spare. */
  encryptedBodies: 40_000,
};

interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The service terminates mutual TLS, or (false) a proxy does and forwards the certificate. */
  readonly tls: boolean;
  readonly encrypted: boolean;
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'plain',
    description: 'debit over plain HTTP as from a TLS-terminating proxy (certificate forwarded)',
    tls: false,
    encrypted: false,
  },
  { name: 'mtls', description: 'debit over mutual TLS, plain JSON body', tls: true, encrypted: false },
  { name: 'mtls+jwe', description: 'debit over mutual TLS, JWE-encrypted body', tls: true, encrypted: true },
];

interface RunResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function main(): Promise<void> {
  const chosen = process.env.BENCH_SCENARIOS?.split(',');
  const scenarios = SCENARIOS.filter((scenario) => !chosen || chosen.includes(scenario.name));
  const results = new Map<string, RunResult[]>(scenarios.map((scenario) => [scenario.name, []]));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const scenario of scenarios) {
      const result = await runOnce(scenario);
      results.get(scenario.name)!.push(result);
      process.stdout.write(
        `round ${round} ${scenario.name.padEnd(9)} ${result.requestsPerSecond.toFixed(0)} req/s, ` +
          `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}, errors ${result.errors}\n`,
      );
    }
  }
  report(scenarios, results);
}

async function runOnce(scenario: Scenario): Promise<RunResult> {
  const profileDir = process.env.BENCH_PROFILE === '1' ? join(root, 'bench-results/profiles') : undefined;
  const env: Record<string, string> = scenario.tls ? {} : { TLS_TERMINATING_PROXIES: '127.0.0.1,::1' };
  const service = await BenchService.start(root, env, profileDir);
  try {
    const balanceIds = await service.fundedBalances(settings.balances, settings.fundingMinor);
    const bodies = scenario.encrypted ? await encryptedBodies(service, balanceIds) : undefined;
    const result = await load(service, balanceIds, bodies);
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  } finally {
    service.stop();
  }
}

async function encryptedBodies(service: BenchService, balanceIds: string[]): Promise<string[]> {
  const { publicKey } = (await service.callback('GET', '/public-key')) as { publicKey: string };
  const key = await importServiceKey(publicKey);
  return encryptedDebitBodies(key, balanceIds, settings.encryptedBodies, settings.amountMinor);
}

function load(
  service: BenchService,
  balanceIds: string[],
  encrypted: string[] | undefined,
): Promise<autocannon.Result> {
  let sequence = 0;
  const tls = service.clientTls;
  const headers = {
    'content-type': encrypted ? 'application/x-jwe-encryption-body+json' : 'application/json',
    // Ignored (stripped) when the service terminates TLS itself; what a proxy adds otherwise.
    [FORWARDED_CLIENT_CERTIFICATE_HEADER]: encodeURIComponent(tls.cert),
  };
  return autocannon({
    url: service.callbackUrl,
    connections: settings.connections,
    duration: settings.durationSeconds,
    // autocannon keeps connections alive; the handshake is paid once per connection.
    tlsOptions: { ca: tls.ca, cert: tls.cert, key: tls.key },
    requests: [
      {
        method: 'POST',
        path: '/transactions/debit',
        setupRequest: (request) => {
          const index = sequence++;
          const body = encrypted
            ? encrypted[index % encrypted.length]!
            : JSON.stringify(debitBody(balanceIds[index % balanceIds.length]!, index, settings.amountMinor));
          return {
            ...request,
            headers: { ...headers, 'x-idempotency-key': `bench-${index}` },
            body,
          };
        },
      },
    ],
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function report(scenarios: readonly Scenario[], results: Map<string, RunResult[]>): void {
  const rows = scenarios.map((scenario) => {
    const runs = results.get(scenario.name)!;
    return {
      scenario: scenario.name,
      description: scenario.description,
      runs,
      median: {
        requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
        p50Ms: median(runs.map((run) => run.p50Ms)),
        p99Ms: median(runs.map((run) => run.p99Ms)),
      },
    };
  });
  const baseline = rows[0]!.median;
  const lines = [
    `${'scenario'.padEnd(10)} ${'req/s'.padStart(7)} ${'ratio'.padStart(6)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}`,
    ...rows.map(
      ({ scenario, median: m }) =>
        `${scenario.padEnd(10)} ${m.requestsPerSecond.toFixed(0).padStart(7)} ` +
        `${(m.requestsPerSecond / baseline.requestsPerSecond).toFixed(2).padStart(6)} ` +
        `${String(m.p50Ms).padStart(7)} ${String(m.p99Ms).padStart(7)}`,
    ),
  ];
  process.stdout.write(
    `\nmedians of ${settings.rounds} rounds, ${settings.durationSeconds} s each\n${lines.join('\n')}\n`,
  );
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  const file = join(dir, `bench-${date.replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ date, settings, rows }, null, 2)}\n`);
  process.stdout.write(`written to ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
