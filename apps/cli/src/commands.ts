export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Returns the process exit code. */
  run(args: readonly string[]): Promise<number>;
}

/** Every command of the CLI. Add one object per tool (audit replay, certificates, tokens...). */
export const commands: readonly CliCommand[] = [];
