import { commands } from './commands/index';

/**
 * Command-line tools of the service: `npm run cli -- <command> [args]`.
 * Each command is one entry of `commands`; an unknown or missing name prints the list.
 */
async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    const list = commands.map((candidate) => `  ${candidate.name.padEnd(24)}${candidate.summary}`).join('\n');
    process.stderr.write(`Usage: npm run cli -- <command> [args]\n\nCommands:\n${list || '  (none yet)'}\n`);
    return name === undefined || name === '--help' ? 0 : 2;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
