import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { ConfigError, type AppConfig } from '@app/config';
import { ClientCertificatePolicy } from './client-certificate-policy';
import { ensureDevCertificates, type DevCertificateFiles } from './dev-certificates';

/** A client that opens a connection and never finishes the handshake holds a socket this long at most. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Everything the callback API's mutual TLS needs, read and checked once at start. */
export interface CallbackTls {
  readonly serverOptions: ServerOptions;
  readonly clientCertificates: ClientCertificatePolicy;
  /** Set when some TLS setting was left empty and the generated dev set stands in for it. */
  readonly dev: DevCertificateUse | undefined;
}

export interface DevCertificateUse {
  readonly files: DevCertificateFiles;
  /** Made by this start (rather than reused from an earlier one). */
  readonly created: boolean;
  /** The server presents the dev server certificate (no `TLS_CERT_FILE`/`TLS_KEY_FILE`). */
  readonly server: boolean;
  /** Client certificates must chain to the dev CA (no `TLS_CLIENT_CA_FILE`). */
  readonly clients: boolean;
}

/**
 * Reads the server's certificate and key and the client CA from the settings, or from the dev
 * set under `DATA_DIR` for what is left empty. A file that is not what its setting says, a key
 * that does not match its certificate, or an expired certificate stops the start with a
 * `ConfigError` naming the setting.
 */
export async function loadCallbackTls(config: Pick<AppConfig, 'dataDir' | 'tls'>): Promise<CallbackTls> {
  const { certFile, keyFile, clientCaFile, clientAllowedFingerprints, terminatingProxies } = config.tls;
  const configuredServer =
    certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined;
  const generated =
    configuredServer && clientCaFile ? undefined : await ensureDevCertificates(config.dataDir);
  const fromDev = (pick: (files: DevCertificateFiles) => string): Source => {
    if (!generated) throw new Error('The dev certificate set is made whenever a TLS setting is empty');
    return { variable: 'DATA_DIR', file: pick(generated.files) };
  };
  const certificateSource = configuredServer
    ? { variable: 'TLS_CERT_FILE', file: configuredServer.certFile }
    : fromDev((files) => files.serverCertificate);
  const keySource = configuredServer
    ? { variable: 'TLS_KEY_FILE', file: configuredServer.keyFile }
    : fromDev((files) => files.serverKey);
  const caSource = clientCaFile
    ? { variable: 'TLS_CLIENT_CA_FILE', file: clientCaFile }
    : fromDev((files) => files.caCertificate);

  const certificate = readCertificate(certificateSource);
  const key = readPrivateKey(keySource);
  if (!certificate.parsed.checkPrivateKey(key.parsed)) {
    throw new ConfigError(keySource.variable, `${keySource.file} is not the key of the server certificate`);
  }
  const ca = readCertificate(caSource);
  if (!ca.parsed.ca) throw new ConfigError(caSource.variable, `${caSource.file} is not a CA certificate`);

  return {
    serverOptions: {
      cert: certificate.pem,
      key: key.pem,
      ca: ca.pem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    },
    clientCertificates: new ClientCertificatePolicy(
      clientAllowedFingerprints,
      terminatingProxies.length === 0
        ? undefined
        : { proxies: terminatingProxies, clientCa: ca.parsed, now: () => new Date() },
    ),
    dev: generated && {
      files: generated.files,
      created: generated.created,
      server: configuredServer === undefined,
      clients: clientCaFile === undefined,
    },
  };
}

interface Source {
  readonly variable: string;
  readonly file: string;
}

function readCertificate({ variable, file }: Source): { pem: Buffer; parsed: X509Certificate } {
  const pem = readFileSync(file);
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(pem);
  } catch {
    throw new ConfigError(variable, `${file} is not a PEM certificate`);
  }
  if (new Date(parsed.validTo).getTime() <= Date.now()) {
    throw new ConfigError(variable, `${file} expired on ${new Date(parsed.validTo).toISOString()}`);
  }
  return { pem, parsed };
}

function readPrivateKey({ variable, file }: Source): { pem: Buffer; parsed: KeyObject } {
  const pem = readFileSync(file);
  try {
    return { pem, parsed: createPrivateKey(pem) };
  } catch {
    throw new ConfigError(variable, `${file} is not an unencrypted PEM private key`);
  }
}
