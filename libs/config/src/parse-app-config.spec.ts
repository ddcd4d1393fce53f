import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseAppConfig } from './parse-app-config';

describe('parseAppConfig', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'config-'));
  writeFileSync(join(cwd, 'key-a.pem'), 'a');
  writeFileSync(join(cwd, 'key-b.pem'), 'b');

  it('gives every setting its CONTRACT.md default', () => {
    const config = parseAppConfig({}, cwd);
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8443,
      dataDir: join(cwd, 'data'),
      eventStore: { kind: 'embedded' },
      authorizationMode: 'external-balance',
      tls: {
        certFile: undefined,
        keyFile: undefined,
        clientCaFile: undefined,
        clientAllowedFingerprints: [],
        terminatingProxies: [],
      },
      jwe: { privateKeyFiles: [], required: false },
      idempotencyRetentionDays: 30,
      staleAuthorizationDays: 30,
      operator: { host: '127.0.0.1', port: 8080, jwtSecret: undefined, jwksUrl: undefined },
      otpWebhookUrl: undefined,
      otpWebhookSecret: undefined,
      logLevel: 'info',
    });
  });

  it('reads explicit values', () => {
    const fingerprint = 'AB:'.repeat(31) + 'CD';
    const config = parseAppConfig(
      {
        HOST: '0.0.0.0',
        PORT: '9443',
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
        TLS_CLIENT_ALLOWED_FINGERPRINTS: `${fingerprint}, ${'0'.repeat(64)}`,
        TLS_TERMINATING_PROXIES: '10.0.0.7, ::1',
        JWE_PRIVATE_KEY_FILE: 'key-a.pem,key-b.pem',
        JWE_REQUIRED: 'TRUE',
        OPERATOR_JWT_SECRET: 's'.repeat(32),
        OTP_WEBHOOK_URL: 'https://otp.example/hook',
        LOG_LEVEL: 'debug',
      },
      cwd,
    );
    expect(config.eventStore).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://localhost:2113?tls=false',
    });
    expect(config.tls.clientAllowedFingerprints).toEqual(['ab'.repeat(31) + 'cd', '0'.repeat(64)]);
    expect(config.tls.terminatingProxies).toEqual(['10.0.0.7', '::1']);
    expect(config.jwe).toEqual({
      privateKeyFiles: [join(cwd, 'key-a.pem'), join(cwd, 'key-b.pem')],
      required: true,
    });
    expect(config.authorizationMode).toBe('external-balance');
    expect(config.port).toBe(9443);
    expect(config.logLevel).toBe('debug');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT: must be a whole number from 0 to 65535 (got "70000")'],
    [{ OPERATOR_PORT: '-1' }, 'OPERATOR_PORT: must be a whole number from 0 to 65535 (got "-1")'],
    [{ EVENT_STORE: 'postgres' }, 'EVENT_STORE: must be one of embedded, eventstoredb (got "postgres")'],
    [
      { EVENT_STORE: 'eventstoredb' },
      'EVENTSTORE_CONNECTION_STRING: is required when EVENT_STORE=eventstoredb',
    ],
    [
      { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'http://x' },
      'EVENTSTORE_CONNECTION_STRING: must look like esdb://host:2113?tls=false',
    ],
    [
      { AUTHORIZATION_MODE: 'shared' },
      'AUTHORIZATION_MODE: must be one of external-balance, shared-authorization',
    ],
    [
      { AUTHORIZATION_MODE: 'shared-authorization' },
      'AUTHORIZATION_MODE: shared-authorization is not available in this version',
    ],
    [{ TLS_CERT_FILE: 'missing.pem', TLS_KEY_FILE: 'key-a.pem' }, 'TLS_CERT_FILE: file not found'],
    [{ TLS_CERT_FILE: 'key-a.pem' }, 'TLS_KEY_FILE: is required when TLS_CERT_FILE is set'],
    [{ TLS_KEY_FILE: 'key-a.pem' }, 'TLS_CERT_FILE: is required when TLS_KEY_FILE is set'],
    [{ JWE_PRIVATE_KEY_FILE: 'key-a.pem,,key-b.pem' }, 'JWE_PRIVATE_KEY_FILE: has an empty entry'],
    [
      { TLS_CLIENT_ALLOWED_FINGERPRINTS: 'abcd' },
      'TLS_CLIENT_ALLOWED_FINGERPRINTS: not a SHA-256 fingerprint: "abcd"',
    ],
    [{ TLS_TERMINATING_PROXIES: '10.0.0.1,proxy' }, 'TLS_TERMINATING_PROXIES: not an IP address: "proxy"'],
    [{ JWE_REQUIRED: 'yes' }, 'JWE_REQUIRED: must be true or false (got "yes")'],
    [
      { IDEMPOTENCY_RETENTION_DAYS: '0' },
      'IDEMPOTENCY_RETENTION_DAYS: must be a whole number from 1 to 3650',
    ],
    [{ STALE_AUTHORIZATION_DAYS: '1.5' }, 'STALE_AUTHORIZATION_DAYS: must be a whole number from 1 to 3650'],
    [{ OPERATOR_JWT_SECRET: 'short' }, 'OPERATOR_JWT_SECRET: must be at least 32 characters long'],
    [{ OPERATOR_JWKS_URL: 'not a url' }, 'OPERATOR_JWKS_URL: must be an absolute URL'],
    [{ OTP_WEBHOOK_URL: 'ftp://x' }, 'OTP_WEBHOOK_URL: must use https: or http: (got ftp:)'],
    [{ OTP_WEBHOOK_SECRET: 'short' }, 'OTP_WEBHOOK_SECRET: must be at least 32 characters long'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace'],
    [{ HOST: 'a host' }, 'HOST: must be a host name or IP address'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    const attempt = () => parseAppConfig(env, cwd);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('never echoes a secret in its error', () => {
    expect(() => parseAppConfig({ OPERATOR_JWT_SECRET: 'hunter2' }, cwd)).not.toThrow(/hunter2/);
  });

  it('treats an empty value as unset', () => {
    expect(parseAppConfig({ PORT: '', LOG_LEVEL: ' ' }, cwd)).toMatchObject({ port: 8443, logLevel: 'info' });
  });
});
