import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A wrong command line: the command prints the message and its usage, and exits with 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--name value` options and positionals, strictly: an unknown option is a `UsageError`. */
export function parseCommandOptions<T extends Options>(args: readonly string[], options: T, positionals = 0) {
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals: positionals > 0, strict: true });
    if (parsed.positionals.length > positionals)
      throw new UsageError(`Unexpected argument ${parsed.positionals[positionals]}`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function required(value: string | undefined, option: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${option} is required`);
  return value;
}

/** A whole number of days in `1..max`, or the default when not given. */
export function validDays(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1 || parsed > max) {
    throw new UsageError(`--days must be a whole number from 1 to ${max} (got ${JSON.stringify(value)})`);
  }
  return parsed;
}

/** Runs a command body, turning a `UsageError` into its message plus the usage line and exit code 2. */
export async function withUsage(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\nUsage: npm run cli -- ${usage}\n`);
    return 2;
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The other side's clock may be a little behind ours: a certificate is valid from a few minutes ago. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

export function validityFromNow(validDays: number, now = new Date()): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + validDays * DAY_MS),
  };
}
