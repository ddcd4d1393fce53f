import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { normalizeFingerprint } from './fingerprint';

/**
 * Who may call the callback API, decided per connection before any request body is read.
 *
 * The TLS handshake already refuses a missing, expired, not-yet-valid or foreign certificate
 * (`requestCert` + `rejectUnauthorized`). Pinning is checked here, at the HTTP layer, rather
 * than by dropping the connection after the handshake: Antaca's operators then get a readable
 * 401 instead of a reset they cannot tell from a network fault, and the check still runs in
 * `onRequest`, before the body is parsed or any command dispatched.
 */
export class ClientCertificatePolicy {
  private readonly allowed: ReadonlySet<string>;
  /** A connection's certificate cannot change (renegotiation is disabled), so one verdict per socket. */
  private readonly verdicts = new WeakMap<Socket, string | null>();

  /** `allowedFingerprints`: lower-case hex SHA-256 without colons; empty allows any certificate from the CA. */
  constructor(allowedFingerprints: readonly string[]) {
    this.allowed = new Set(allowedFingerprints);
  }

  /** Why the client on this connection may not call the API, or undefined when it may. */
  refusalOf(socket: Socket): string | undefined {
    let verdict = this.verdicts.get(socket);
    if (verdict === undefined) {
      verdict = this.decide(socket);
      this.verdicts.set(socket, verdict);
    }
    return verdict ?? undefined;
  }

  private decide(socket: Socket): string | null {
    // Unreachable behind `rejectUnauthorized`; checked so that a change of server options fails closed.
    if (!(socket instanceof TLSSocket) || !socket.authorized)
      return 'A trusted client certificate is required';
    if (this.allowed.size === 0) return null;
    const fingerprint = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
    return this.allowed.has(fingerprint) ? null : 'This client certificate is not allowed';
  }
}
