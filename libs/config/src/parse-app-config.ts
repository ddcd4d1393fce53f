import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { LOG_LEVELS, type AppConfig, type AuthorizationMode, type LogLevel } from './app-config';

/** A setting with a wrong value. The message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Reads every setting of CONTRACT.md from `env`; throws `ConfigError` on the first wrong one. */
export function parseAppConfig(env: Environment, cwd = process.cwd()): AppConfig {
  const read = new SettingReader(env, cwd);
  read.together('TLS_CERT_FILE', 'TLS_KEY_FILE');
  const eventStoreKind = read.oneOf('EVENT_STORE', ['embedded', 'eventstoredb'] as const, 'embedded');
  return {
    host: read.host('HOST', '127.0.0.1'),
    port: read.port('PORT', 8443),
    dataDir: resolve(cwd, read.text('DATA_DIR', './data')),
    eventStore:
      eventStoreKind === 'embedded'
        ? { kind: 'embedded' }
        : {
            kind: 'eventstoredb',
            connectionString: read.esdbConnectionString('EVENTSTORE_CONNECTION_STRING'),
          },
    authorizationMode: read.authorizationMode(),
    tls: {
      certFile: read.optionalFile('TLS_CERT_FILE'),
      keyFile: read.optionalFile('TLS_KEY_FILE'),
      clientCaFile: read.optionalFile('TLS_CLIENT_CA_FILE'),
      clientAllowedFingerprints: read.fingerprints('TLS_CLIENT_ALLOWED_FINGERPRINTS'),
      terminatingProxies: read.ipAddresses('TLS_TERMINATING_PROXIES'),
    },
    jwe: {
      privateKeyFiles: read.fileList('JWE_PRIVATE_KEY_FILE'),
      required: read.boolean('JWE_REQUIRED', false),
    },
    idempotencyRetentionDays: read.integer('IDEMPOTENCY_RETENTION_DAYS', 30, { min: 1, max: 3650 }),
    staleAuthorizationDays: read.integer('STALE_AUTHORIZATION_DAYS', 30, { min: 1, max: 3650 }),
    operator: {
      host: read.host('OPERATOR_HOST', '127.0.0.1'),
      port: read.port('OPERATOR_PORT', 8080),
      jwtSecret: read.secret('OPERATOR_JWT_SECRET', 32),
      jwksUrl: read.url('OPERATOR_JWKS_URL', ['https:', 'http:']),
    },
    otpWebhookUrl: read.url('OTP_WEBHOOK_URL', ['https:', 'http:']),
    otpWebhookSecret: read.secret('OTP_WEBHOOK_SECRET', 32),
    logLevel: read.oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}

class SettingReader {
  constructor(
    private readonly env: Environment,
    private readonly cwd: string,
  ) {}

  /** The raw value, with surrounding blanks trimmed; empty counts as unset. */
  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  text(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
    }
    return value as T;
  }

  integer(name: string, fallback: number, range: { min: number; max: number }): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
      throw new ConfigError(
        name,
        `must be a whole number from ${range.min} to ${range.max} (got ${JSON.stringify(value)})`,
      );
    }
    return parsed;
  }

  /** 0 asks the system for a free port (tests). */
  port(name: string, fallback: number): number {
    return this.integer(name, fallback, { min: 0, max: 65535 });
  }

  host(name: string, fallback: string): string {
    const value = this.text(name, fallback);
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(value)) {
      throw new ConfigError(name, `must be a host name or IP address (got ${JSON.stringify(value)})`);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new ConfigError(name, `must be true or false (got ${JSON.stringify(value)})`);
  }

  optionalFile(name: string): string | undefined {
    const value = this.raw(name);
    return value === undefined ? undefined : this.existingFile(name, value);
  }

  /** Settings that only make sense together (a certificate and its key): all or none. */
  together(...names: string[]): void {
    const given = names.filter((name) => this.raw(name) !== undefined);
    const missing = names.find((name) => this.raw(name) === undefined);
    if (given.length > 0 && missing !== undefined) {
      throw new ConfigError(missing, `is required when ${given.join(' and ')} is set`);
    }
  }

  fileList(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const files = value.split(',').map((file) => file.trim());
    if (files.some((file) => file === ''))
      throw new ConfigError(name, 'has an empty entry in its comma-separated list');
    return files.map((file) => this.existingFile(name, file));
  }

  private existingFile(name: string, file: string): string {
    const path = resolve(this.cwd, file);
    if (!existsSync(path)) throw new ConfigError(name, `file not found: ${path}`);
    return path;
  }

  /** SHA-256 fingerprints, with or without colons, in either case; stored as lower-case hex. */
  ipAddresses(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    return value.split(',').map((entry) => {
      const address = entry.trim();
      if (isIP(address) === 0) throw new ConfigError(name, `not an IP address: ${JSON.stringify(address)}`);
      return address;
    });
  }

  fingerprints(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    return value.split(',').map((entry) => {
      const hex = entry.trim().replaceAll(':', '').toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(hex)) {
        throw new ConfigError(name, `not a SHA-256 fingerprint: ${JSON.stringify(entry.trim())}`);
      }
      return hex;
    });
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(name, `must be an absolute URL (got ${JSON.stringify(value)})`);
    }
    if (!protocols.includes(url.protocol)) {
      throw new ConfigError(name, `must use ${protocols.join(' or ')} (got ${url.protocol})`);
    }
    return url.toString();
  }

  /**
   * Only `external-balance` is built so far. Starting in `shared-authorization` would decide
   * with External Balance's rules (funds checks on money Antaca holds): refuse instead.
   */
  authorizationMode(): AuthorizationMode {
    const name = 'AUTHORIZATION_MODE';
    const mode = this.oneOf<AuthorizationMode>(
      name,
      ['external-balance', 'shared-authorization'],
      'external-balance',
    );
    if (mode === 'shared-authorization') {
      throw new ConfigError(
        name,
        'shared-authorization is not available in this version; use external-balance',
      );
    }
    return mode;
  }

  esdbConnectionString(name: string): string {
    const value = this.raw(name);
    if (value === undefined) throw new ConfigError(name, 'is required when EVENT_STORE=eventstoredb');
    if (!/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\/\S+$/.test(value)) {
      throw new ConfigError(name, 'must look like esdb://host:2113?tls=false');
    }
    return value;
  }

  /** Secrets are never echoed back in the error. */
  secret(name: string, minLength: number): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && value.length < minLength) {
      throw new ConfigError(name, `must be at least ${minLength} characters long`);
    }
    return value;
  }
}
