export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Returns the process exit code. */
  run(args: readonly string[]): Promise<number>;
}
