/**
 * Every `authbar` command, in the order `authbar --help` lists them. Adding a command: a
 * module here exporting a `defineCommand({...})` (see ../command.ts), and one line below.
 */
import type { CommandEntry } from '../command.js';
import { doctorCommand } from './doctor.js';
import { hostsCommand } from './hosts.js';
import { installServiceCommand } from './install-service.js';
import { setupTokenCommand } from './setup-token.js';
import { statusCommand } from './status.js';
import { syncCommand } from './sync.js';
import { tokenCommand } from './token.js';
import { watchCommand } from './watch.js';

export const COMMANDS: readonly CommandEntry[] = [
  statusCommand,
  syncCommand,
  doctorCommand,
  watchCommand,
  installServiceCommand,
  tokenCommand,
  setupTokenCommand,
  hostsCommand,
];
