/**
 * TEST DOUBLE of EventStoreDB for CI, not a product: ServerFeatures.GetSupportedMethods.
 * The real server lists every client-facing gRPC method it hosts, lower-cased, with feature
 * flags (Services/Transport/Grpc/ServerFeatures.cs); this lists only what the double hosts.
 * The client asks once per connection and appends through BatchAppend when it is listed.
 */
import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';

/** The server behaviour this double follows; the client only logs it. */
const MODELLED_SERVER_VERSION = '24.10.0';

const STREAMS = 'event_store.client.streams.streams';
const SERVER_FEATURES = 'event_store.client.server_features.serverfeatures';

export function serverFeaturesService(): UntypedServiceImplementation {
  const methods = [
    method(STREAMS, 'read', ['position', 'events']),
    method(STREAMS, 'append'),
    method(STREAMS, 'batchappend', ['deadline_duration']),
    method(SERVER_FEATURES, 'getsupportedmethods'),
  ];
  const supported = new SupportedMethods()
    .setEventStoreServerVersion(MODELLED_SERVER_VERSION)
    .setMethodsList(methods);
  return {
    getSupportedMethods: (
      _call: ServerUnaryCall<Empty, SupportedMethods>,
      callback: sendUnaryData<SupportedMethods>,
    ) => callback(null, supported),
  };
}

function method(serviceName: string, methodName: string, features: string[] = []): SupportedMethod {
  return new SupportedMethod()
    .setServiceName(serviceName)
    .setMethodName(methodName)
    .setFeaturesList(features);
}
