import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ProjectionRunner } from '@app/event-store';
import { RecordTransactionLifecycleWhenBalanceChanges } from '@app/transactions';

/** What one answered request contributes to the metrics. */
export interface ObservedRequest {
  readonly listener: string;
  readonly method: string;
  /** The route template (`/transactions/:transactionId`), never the raw URL: ids stay out of metrics. */
  readonly route: string;
  readonly status: number;
  readonly durationSeconds: number;
}

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one),
 * so that several services in one process (the tests) do not share counters.
 * Labels are bounded sets only: listener, method, route template, status.
 */
@Injectable()
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'Answered HTTP requests by listener, method, route template and status',
    labelNames: ['listener', 'method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer',
    labelNames: ['listener', 'method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(
    projections: ProjectionRunner,
    transactionLifecycles: RecordTransactionLifecycleWhenBalanceChanges,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const consumers = { 'read-models': projections, 'transaction-lifecycles': transactionLifecycles };
    new Gauge({
      name: 'event_consumer_running',
      help: '1 while the consumer keeps its read models or streams up to date, 0 when it stopped',
      labelNames: ['consumer'] as const,
      registers: [this.registry],
      collect() {
        for (const [consumer, { state }] of Object.entries(consumers)) {
          this.set({ consumer }, state === 'running' ? 1 : 0);
        }
      },
    });
  }

  observe(request: ObservedRequest): void {
    const { listener, method, route, status } = request;
    this.requests.inc({ listener, method, route, status: String(status) });
    this.durations.observe({ listener, method, route }, request.durationSeconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
