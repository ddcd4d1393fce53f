import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { normalizeFingerprint } from './fingerprint';

/** Where a TLS-terminating proxy puts the client's certificate: URL-encoded PEM (nginx's `$ssl_client_escaped_cert`). */
export const FORWARDED_CLIENT_CERTIFICATE_HEADER = 'x-client-certificate';

/** The proxies allowed to forward a client certificate, and the CA that certificate must be signed by. */
export interface CertificateForwarding {
  readonly proxies: readonly string[];
  readonly clientCa: X509Certificate;
  readonly now: () => Date;
}

/** How many distinct forwarded certificates keep their CA verdict; one proxy forwards a handful. */
const FORWARDED_VERDICTS_KEPT = 64;

interface ForwardedCertificate {
  readonly fingerprint256: string;
  readonly validFromMs: number;
  readonly validToMs: number;
}

/**
 * Who may call the callback API, decided before any request body is read.
 *
 * Direct (the service terminates mutual TLS): the handshake already refuses a missing,
 * expired, not-yet-valid or foreign certificate (`requestCert` + `rejectUnauthorized`), and a
 * forwarded-certificate header is stripped, since nobody may vouch for a client here. Pinning
 * is checked at the HTTP layer rather than by dropping the connection after the handshake:
 * Antaca's operators then get a readable 401 instead of a reset they cannot tell from a network
 * fault, and the check still runs in `onRequest`, before the body is parsed or any command runs.
 *
 * Behind a proxy: only the configured proxy addresses may connect, and the certificate they
 * forward gets the checks the handshake would have made (signed by the client CA, valid now)
 * plus pinning. Clients share the proxy's connections, so each request is judged on its own.
 */
export class ClientCertificatePolicy {
  private readonly allowed: ReadonlySet<string>;
  private readonly proxies: ReadonlySet<string>;
  /** A connection's certificate cannot change (renegotiation is disabled), so one verdict per socket. */
  private readonly verdicts = new WeakMap<Socket, string | null>();
  /** Forwarded certificates already checked against the client CA (null: not signed by it), oldest first. */
  private readonly forwardedVerdicts = new Map<string, ForwardedCertificate | null>();

  /** `allowedFingerprints`: lower-case hex SHA-256 without colons; empty allows any certificate from the CA. */
  constructor(
    allowedFingerprints: readonly string[],
    private readonly forwarding?: CertificateForwarding,
  ) {
    this.allowed = new Set(allowedFingerprints);
    this.proxies = new Set(forwarding?.proxies ?? []);
  }

  get behindProxy(): boolean {
    return this.forwarding !== undefined;
  }

  /** Why the client behind this request may not call the API, or undefined when it may. */
  refusalOf(request: IncomingMessage): string | undefined {
    if (this.forwarding) return this.forwardedRefusal(request, this.forwarding) ?? undefined;
    delete request.headers[FORWARDED_CLIENT_CERTIFICATE_HEADER];
    const socket = request.socket;
    let verdict = this.verdicts.get(socket);
    if (verdict === undefined) {
      verdict = this.directRefusal(socket);
      this.verdicts.set(socket, verdict);
    }
    return verdict ?? undefined;
  }

  private directRefusal(socket: Socket): string | null {
    // Unreachable behind `rejectUnauthorized`; checked so that a change of server options fails closed.
    if (!(socket instanceof TLSSocket) || !socket.authorized)
      return 'A trusted client certificate is required';
    return this.pinRefusal(socket.getPeerCertificate().fingerprint256 ?? '');
  }

  private forwardedRefusal(request: IncomingMessage, forwarding: CertificateForwarding): string | null {
    if (!this.proxies.has(withoutIpv4Mapping(request.socket.remoteAddress ?? ''))) {
      return 'Only the TLS-terminating proxy may call this API';
    }
    const header = request.headers[FORWARDED_CLIENT_CERTIFICATE_HEADER];
    const certificate = typeof header === 'string' ? this.signedByClientCa(header, forwarding) : undefined;
    const now = forwarding.now().getTime();
    if (!certificate || now < certificate.validFromMs || now >= certificate.validToMs) {
      return 'A trusted client certificate is required';
    }
    return this.pinRefusal(certificate.fingerprint256);
  }

  /**
   * The forwarded certificate if the client CA signed it. Parsing and checking a signature
   * costs more than the rest of a request, and a proxy forwards the same few certificates
   * again and again, so verdicts are kept per header value (bounded); validity is still
   * judged at each request.
   */
  private signedByClientCa(
    header: string,
    forwarding: CertificateForwarding,
  ): ForwardedCertificate | undefined {
    if (this.forwardedVerdicts.has(header)) return this.forwardedVerdicts.get(header) ?? undefined;
    let verdict: ForwardedCertificate | null = null;
    try {
      const certificate = new X509Certificate(decodeURIComponent(header));
      if (certificate.checkIssued(forwarding.clientCa) && certificate.verify(forwarding.clientCa.publicKey)) {
        verdict = {
          fingerprint256: certificate.fingerprint256,
          validFromMs: new Date(certificate.validFrom).getTime(),
          validToMs: new Date(certificate.validTo).getTime(),
        };
      }
    } catch {
      verdict = null;
    }
    if (this.forwardedVerdicts.size >= FORWARDED_VERDICTS_KEPT) {
      this.forwardedVerdicts.delete(this.forwardedVerdicts.keys().next().value!);
    }
    this.forwardedVerdicts.set(header, verdict);
    return verdict ?? undefined;
  }

  private pinRefusal(fingerprint256: string): string | null {
    if (this.allowed.size === 0) return null;
    return this.allowed.has(normalizeFingerprint(fingerprint256))
      ? null
      : 'This client certificate is not allowed';
  }
}

/** `::ffff:10.0.0.1`, as a dual-stack socket reports an IPv4 peer, is `10.0.0.1`. */
function withoutIpv4Mapping(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}
