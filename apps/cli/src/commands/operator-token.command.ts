import { loadAppConfig } from '@app/config';
import { issueOperatorToken, resolveOperatorSecret } from '@app/security';
import type { CliCommand } from '../cli-command';

const DEFAULT_TTL_SECONDS = 3600;
const MAX_TTL_SECONDS = 7 * 24 * 3600;

/** `npm run cli -- token [subject] [ttlSeconds]`: a bearer token for the operator API, for local use. */
export const operatorTokenCommand: CliCommand = {
  name: 'token',
  summary: 'print an operator bearer token: token [subject=local-operator] [ttlSeconds=3600]',
  async run(args) {
    const [subject = 'local-operator', ttl = String(DEFAULT_TTL_SECONDS)] = args;
    const ttlSeconds = Number(ttl);
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
      process.stderr.write(`ttlSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS}\n`);
      return 2;
    }
    const config = loadAppConfig();
    if (config.operator.jwksUrl) {
      process.stderr.write(
        'OPERATOR_JWKS_URL is set: tokens come from the identity provider, not from here\n',
      );
      return 2;
    }
    process.stdout.write(
      `${await issueOperatorToken(resolveOperatorSecret(config), { subject, ttlSeconds })}\n`,
    );
    return 0;
  },
};
