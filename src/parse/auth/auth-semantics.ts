import type { AuthFacts } from './facts';
import { pamFacts, splitPamPrefix } from './pam';
import { SHADOW_UTILS, shadowUtilsFacts } from './shadow-utils';
import { sshdFacts } from './sshd';
import { suFacts, sudoFacts } from './sudo-su';

/** Programs whose messages are authentication or account management, whatever facility they log to. */
export const AUTH_PROGRAMS = new Set([
  'sshd',
  'sudo',
  'su',
  'login',
  'systemd-logind',
  'sshd-session',
  ...SHADOW_UTILS,
]);

/**
 * What an auth message means in ECS terms. `subsystem` is the old-style sub-tag (`sshd(pam_unix)[1]:`);
 * PAM messages are recognised for any program, since every PAM-aware program writes them.
 */
export function authSemantics(
  program: string | undefined,
  subsystem: string | undefined,
  message: string,
): AuthFacts | undefined {
  const pam = splitPamPrefix(message);
  if (pam) return pamFacts(pam.module, pam.message);
  if (subsystem?.startsWith('pam_')) return pamFacts(subsystem, message);
  switch (program) {
    case 'sshd':
    case 'sshd-session':
      return sshdFacts(message);
    case 'sudo':
      return sudoFacts(message);
    case 'su':
      return suFacts(message);
    default:
      return program !== undefined && SHADOW_UTILS.has(program) ? shadowUtilsFacts(message) : undefined;
  }
}
