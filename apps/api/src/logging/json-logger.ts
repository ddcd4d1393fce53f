import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '@app/config';
import { redact } from './redact';

const SEVERITY: Record<LogLevel, number> = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10 };

/** Where log lines go; stdout in production, a buffer in tests that scan the log. */
export type LogSink = (line: string) => void;

/** Structured JSON lines, one per entry, secrets redacted (see `redact`). */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(
    level: LogLevel,
    private readonly sink: LogSink = (line) => process.stdout.write(line),
  ) {
    this.threshold = SEVERITY[level];
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes optional extras then the context (a string) last. */
  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (SEVERITY[level] < this.threshold) return;
    const context = typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      context,
      msg: redact(message),
    };
    if (rest.length > 0) entry.details = redact(rest.length === 1 ? rest[0] : rest);
    this.sink(`${JSON.stringify(entry)}\n`);
  }
}
