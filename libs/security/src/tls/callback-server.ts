import { createServer, type Server, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The callback API's HTTPS server. Renegotiation is refused: it would let a connection change
 * its client certificate after `ClientCertificatePolicy` judged it, and it is a known CPU sink.
 */
export function createCallbackServer(
  options: ServerOptions,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Server {
  const server = createServer(options, handler);
  server.on('secureConnection', (socket) => socket.disableRenegotiation());
  return server;
}
