import type { CliCommand } from '../cli-command';
import { createCaCommand } from './certificates/create-ca.command';
import { fingerprintCommand } from './certificates/fingerprint.command';
import { signCsrCommand } from './certificates/sign-csr.command';
import { operatorTokenCommand } from './operator-token.command';

/** Every command of the CLI: one object per tool. */
export const commands: readonly CliCommand[] = [
  operatorTokenCommand,
  createCaCommand,
  signCsrCommand,
  fingerprintCommand,
];
