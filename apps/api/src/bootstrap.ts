import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfigModule, type AppConfig, type Environment } from '@app/config';
import {
  JweDecryptor,
  JweModule,
  loadCallbackTls,
  loadJweKeyRing,
  type DevCertificateUse,
} from '@app/security';
import { AppModule } from './app.module';
import { isForcedRoute } from './callbacks/external-balance/forced-routes';
import { recordRefusedForcedRequest } from './callbacks/external-balance/record-refused-forced-request';
import { handlesUnreadableBody } from './callbacks/notifications/notification-body';
import { refuseUnallowedClientCertificates } from './http/client-certificate.hook';
import { registerJsonBodyParser } from './http/json-body';
import { registerCallbackJwe } from './http/jwe/callback-jwe';
import { Listeners, listenerForPath, listenerOf } from './http/listeners';
import { ProblemFilter } from './http/problem.filter';
import { JsonLogger, type LogSink } from './logging/json-logger';
import { ServiceMetrics } from './metrics/service-metrics';

/** Large enough for any callback of the seeds, small enough to refuse abuse early. */
const BODY_LIMIT_BYTES = 64 * 1024;
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface RunningService {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly callbackUrl: string;
  readonly operatorUrl: string;
  /** The generated dev certificates, when some TLS setting was left empty. */
  readonly devCertificates: DevCertificateUse | undefined;
  close(): Promise<void>;
}

export interface BootstrapOptions {
  /** Replaces the process environment (tests); otherwise `@nestjs/config` reads it. */
  readonly env?: Environment;
  readonly logSink?: LogSink;
}

/** Builds and starts the service; `main.ts` and the end-to-end tests both start it this way. */
export async function bootstrap(options: BootstrapOptions = {}): Promise<RunningService> {
  const { module: configModule, config } = await AppConfigModule.load({ env: options.env });
  const callbackTls = await loadCallbackTls(config);
  const behindProxy = callbackTls.clientCertificates.behindProxy;
  const listeners = new Listeners(behindProxy ? undefined : callbackTls.serverOptions);
  const adapter = new FastifyAdapter({
    serverFactory: listeners.serverFactory,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-correlation-id'];
      return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    },
  });
  const jweKeys = JweModule.register(await loadJweKeyRing(config.jwe.privateKeyFiles, config.dataDir));
  const appModule = AppModule.register(configModule, jweKeys);
  const app = await NestFactory.create<NestFastifyApplication>(appModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
    // JSON bodies are parsed by `registerJsonBodyParser`, which keeps the exact bytes.
    bodyParser: false,
  });
  app.useLogger(new JsonLogger(config.logLevel, options.logSink));
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  const commands = app.get(CommandBus);
  const openBody = registerCallbackJwe(fastify, {
    decryptor: app.get(JweDecryptor),
    required: config.jwe.required,
    onCallbackApi: (request) =>
      listenerOf(request.raw) === 'callback' && request.routeOptions.url !== undefined,
    isForcedRoute,
    recordRefusedForced: (request) => recordRefusedForcedRequest(commands, request),
  });
  registerJsonBodyParser(fastify, (path) => isForcedRoute(path) || handlesUnreadableBody(path), openBody);
  // Before any body is read: a route is only reachable on its own listener.
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-correlation-id', request.id);
    if (listenerOf(request.raw) !== listenerForPath(request.url)) {
      return reply
        .status(404)
        .header('content-type', 'application/json; charset=utf-8')
        .send({ title: 'NOT_FOUND', detail: `No route for ${request.method} ${request.url.split('?')[0]}` });
    }
  });
  refuseUnallowedClientCertificates(fastify, callbackTls.clientCertificates);
  const metrics = app.get(ServiceMetrics);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.observe({
      listener: listenerOf(request.raw) ?? 'unknown',
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      durationSeconds: reply.elapsedTime / 1000,
    });
  });
  fastify.addHook('onClose', () => listeners.closeOperator());

  await app.listen(config.port, config.host);
  const operator = await listeners.listenOperator(config.operator.port, config.operator.host);
  return {
    app,
    config,
    callbackUrl: urlOf(
      behindProxy ? 'http' : 'https',
      config.host,
      (app.getHttpServer().address() as AddressInfo).port,
    ),
    operatorUrl: urlOf('http', config.operator.host, (operator.address() as AddressInfo).port),
    devCertificates: callbackTls.dev,
    close: () => app.close(),
  };
}

function urlOf(scheme: string, host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
