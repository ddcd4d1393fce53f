import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import type { FastifyServerFactory } from 'fastify';
import { createCallbackServer } from '@app/security';

/** Which socket a request came in on. The two APIs share one application, not one door. */
export type ListenerName = 'callback' | 'operator';

const LISTENER = Symbol('listener');
type TaggedRequest = IncomingMessage & { [LISTENER]?: ListenerName };

export function listenerOf(request: IncomingMessage): ListenerName | undefined {
  return (request as TaggedRequest)[LISTENER];
}

/**
 * Routes of the operator listener; everything else belongs to the callback API (Antaca).
 * Decided on the decoded path, as the router matches it: `/%6Fperator` is `/operator`.
 */
export function listenerForPath(url: string): ListenerName {
  const path = url.split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  return /^\/+(operator|health|metrics)(\/|$)/i.test(decoded) ? 'operator' : 'callback';
}

/**
 * Two servers feeding one Fastify instance: the callback API (the one Nest listens on; mutual
 * TLS, or plain HTTP behind a TLS-terminating proxy) and the operator API over plain HTTP with
 * bearer tokens (listened on separately). One instance means one set of providers: one event store connection, one
 * projection runner.
 */
export class Listeners {
  private operator: Server | undefined;

  /** `callbackTls` undefined: plain HTTP, for a TLS-terminating proxy in front (see `ClientCertificatePolicy`). */
  constructor(private readonly callbackTls: HttpsServerOptions | undefined) {}

  readonly serverFactory: FastifyServerFactory = (handler) => {
    const route = (name: ListenerName) => (request: IncomingMessage, response: ServerResponse) => {
      (request as TaggedRequest)[LISTENER] = name;
      handler(request, response);
    };
    this.operator = createServer(route('operator'));
    return this.callbackTls
      ? createCallbackServer(this.callbackTls, route('callback'))
      : createServer(route('callback'));
  };

  get operatorServer(): Server {
    if (!this.operator) throw new Error('The operator server exists once the Fastify instance is created');
    return this.operator;
  }

  listenOperator(port: number, host: string): Promise<Server> {
    const server = this.operatorServer;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  closeOperator(): Promise<void> {
    const server = this.operator;
    if (!server?.listening) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}
