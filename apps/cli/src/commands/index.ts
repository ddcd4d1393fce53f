import type { CliCommand } from '../cli-command';
import { operatorTokenCommand } from './operator-token.command';

/** Every command of the CLI: one object per tool. */
export const commands: readonly CliCommand[] = [operatorTokenCommand];
