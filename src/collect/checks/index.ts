import type { Check } from '../check';
import { accountsCheck } from './accounts';
import { filesystemCheck } from './filesystem';
import { loginsCheck } from './logins';
import { packagesCheck } from './packages';
import { persistenceCheck } from './persistence';
import { processesCheck } from './processes';
import { sshCheck } from './ssh';

/** Every check, in the order a run takes them (CHECK_NAMES). */
export const CHECKS: readonly Check[] = [
  accountsCheck,
  sshCheck,
  persistenceCheck,
  filesystemCheck,
  packagesCheck,
  processesCheck,
  loginsCheck,
];
