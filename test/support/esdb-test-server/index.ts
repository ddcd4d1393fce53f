/**
 * TEST DOUBLE of EventStoreDB for CI. NOT A PRODUCT: memory only, single node, insecure, no
 * authentication, no deletes, no persistent subscriptions, no user projections (the standard
 * system projections' `$>` links are imitated, see `standardProjections`).
 *
 * It speaks the real gRPC protocol with the message classes `@eventstore/db-client` ships,
 * so the adapter under test runs the real client against it. It answers what EventStoreDB
 * answers for the calls the adapter makes (ServerFeatures, Streams.Append/BatchAppend/Read,
 * `$all` subscriptions); `memory-log.ts` and `streams-service.ts` say where that comes from
 * and what is left out. Where the real server matters for a decision, test against one:
 * set EVENTSTORE_CONNECTION_STRING.
 */
import { randomUUID } from 'node:crypto';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { MemoryLog, type ExplicitTransaction, type ProposedEvent, type StoredEvent } from './memory-log';
import { serverFeaturesService } from './server-features';
import { streamsService } from './streams-service';

export type { ExplicitTransaction, ProposedEvent } from './memory-log';

export interface EsdbTestServerOptions {
  /**
   * True (default): answer ServerFeatures like EventStoreDB 21.10 and later, so the client
   * appends through Streams.BatchAppend. False: leave the service out (UNIMPLEMENTED), as
   * 20.x did, and the client falls back to Streams.Append.
   */
  readonly serverFeatures?: boolean;
  /**
   * True (default), as docker/docker-compose.yml runs the server: the standard projections
   * $by_category and $by_event_type follow every append with `$>` link events in `$ce-` and
   * `$et-` streams, shortly after it, so `$all` interleaves them with the events they link.
   */
  readonly standardProjections?: boolean;
}

export interface EsdbTestServer {
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  stop(): Promise<void>;
  /**
   * Writes events the way the TCP API's explicit transactions did: they share the commit
   * record's position and differ by prepare position, and stream reads cannot tell their
   * position. A gRPC client cannot produce this shape; a database may still hold it.
   */
  beginTransaction(streamId: string): ExplicitTransaction;
}

export async function start(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
  const log: MemoryLog = new MemoryLog({
    onCommit: options.standardProjections === false ? undefined : (events) => linkLater(log, events),
  });
  seedSystemEvents(log);
  const server = new Server();
  server.addService(StreamsService, streamsService(log));
  if (options.serverFeatures ?? true) server.addService(ServerFeaturesService, serverFeaturesService());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  let stopped = false;
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // Subscriptions never finish on their own: cancel every call instead of draining.
      server.forceShutdown();
    },
    beginTransaction: (streamId) => log.beginTransaction(streamId),
  };
}

/** What $by_category and $by_event_type write for user events: one `$>` link each, `revision@stream`. */
function linkLater(log: MemoryLog, events: readonly StoredEvent[]): void {
  const links = new Map<string, ProposedEvent[]>();
  for (const event of events) {
    if (event.streamId.startsWith('$')) continue;
    const link = (): ProposedEvent => ({
      eventId: randomUUID(),
      type: '$>',
      isJson: false,
      data: Buffer.from(`${event.revision}@${event.streamId}`),
      metadata: Buffer.from(JSON.stringify({ $causedBy: event.eventId })),
    });
    for (const target of [`$ce-${event.streamId.split('-')[0]!}`, `$et-${event.type}`]) {
      links.set(target, [...(links.get(target) ?? []), link()]);
    }
  }
  if (links.size === 0) return;
  // The projection subsystem writes after the commit, on its own schedule, in batches.
  setImmediate(() => {
    for (const [target, batch] of links) log.append(target, { kind: 'any' }, batch);
  });
}

/** A fresh database is not empty: the server writes settings and the default users ($-prefixed). */
function seedSystemEvents(log: MemoryLog): void {
  const json = (type: string, data: unknown): ProposedEvent => ({
    eventId: randomUUID(),
    type,
    isJson: true,
    data: Buffer.from(JSON.stringify(data)),
    metadata: new Uint8Array(),
  });
  const acl = { $r: '$all', $w: '$all', $d: '$all', $mr: '$all', $mw: '$all' };
  const adminsOnly = { $r: '$admins', $w: '$admins', $d: '$admins', $mr: '$admins', $mw: '$admins' };
  log.append('$settings', { kind: 'any' }, [
    json('$settings', { $userStreamAcl: acl, $systemStreamAcl: adminsOnly }),
  ]);
  for (const login of ['admin', 'ops']) {
    log.append('$users', { kind: 'any' }, [json('$UserCreated', login)]);
    log.append(`$user-${login}`, { kind: 'any' }, [json('$user', { loginName: login, fullName: login })]);
  }
}
