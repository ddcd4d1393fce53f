export type EventStoreSettings =
  { readonly kind: 'embedded' } | { readonly kind: 'eventstoredb'; readonly connectionString: string };

export type AuthorizationMode = 'external-balance' | 'shared-authorization';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every setting of CONTRACT.md, parsed and validated once at start (`parseAppConfig`).
 * Injected by this class token; nothing else reads the environment.
 * Files and secrets left empty are generated under `dataDir` by the module that owns them.
 */
export abstract class AppConfig {
  /** Address and port of the callback API (Antaca's side, HTTPS with client certificates). */
  abstract readonly host: string;
  abstract readonly port: number;
  /** Absolute path of the folder for the embedded store, read models, dev certificates and keys. */
  abstract readonly dataDir: string;
  abstract readonly eventStore: EventStoreSettings;
  abstract readonly authorizationMode: AuthorizationMode;
  abstract readonly tls: {
    readonly certFile: string | undefined;
    readonly keyFile: string | undefined;
    readonly clientCaFile: string | undefined;
    /** Lower-case hex SHA-256 without colons; empty: any certificate from the CA. */
    readonly clientAllowedFingerprints: readonly string[];
    /**
     * Addresses of the proxies that terminate TLS in front of the callback API. Empty: the
     * service terminates mutual TLS itself. Otherwise the callback API speaks plain HTTP, only
     * to these addresses, and checks the client certificate each forwards in a header.
     */
    readonly terminatingProxies: readonly string[];
  };
  abstract readonly jwe: {
    /** The first is current; the others are still accepted for decryption (rotation). */
    readonly privateKeyFiles: readonly string[];
    readonly required: boolean;
  };
  abstract readonly idempotencyRetentionDays: number;
  abstract readonly staleAuthorizationDays: number;
  abstract readonly operator: {
    readonly host: string;
    readonly port: number;
    readonly jwtSecret: string | undefined;
    readonly jwksUrl: string | undefined;
  };
  abstract readonly otpWebhookUrl: string | undefined;
  /** HMAC-SHA256 key signing OTP webhook deliveries; unset: a dev secret generated under `dataDir`. */
  abstract readonly otpWebhookSecret: string | undefined;
  abstract readonly logLevel: LogLevel;
}
