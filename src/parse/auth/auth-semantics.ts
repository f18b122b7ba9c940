import { doasFacts } from './doas';
import { dropbearFacts } from './dropbear';
import type { AuthFacts } from './facts';
import { loginFacts } from './login';
import { logindFacts } from './logind';
import { pamFacts, splitPamPrefix } from './pam';
import { SHADOW_UTILS, shadowUtilsFacts } from './shadow-utils';
import { sshdFacts } from './sshd';
import { suFacts } from './su';
import { sudoFacts } from './sudo';

type ProgramFacts = (message: string) => AuthFacts | undefined;

/** Each auth program's own messages (PAM module lines are recognised for every program, before these). */
const PROGRAMS: ReadonlyMap<string, ProgramFacts> = new Map<string, ProgramFacts>([
  ['sshd', sshdFacts],
  ['sshd-session', sshdFacts],
  ['sshd-auth', sshdFacts],
  ['sudo', sudoFacts],
  ['su', suFacts],
  ['runuser', suFacts],
  ['login', loginFacts],
  ['agetty', loginFacts],
  ['doas', doasFacts],
  ['dropbear', dropbearFacts],
  ['systemd-logind', logindFacts],
  ['unix_chkpwd', (message) => pamFacts({ module: 'unix_chkpwd', message })],
  ...[...SHADOW_UTILS].map((p): [string, ProgramFacts] => [p, shadowUtilsFacts]),
]);

/** Programs whose messages are authentication or account management, whatever facility they log to. */
export const AUTH_PROGRAMS: ReadonlySet<string> = new Set(PROGRAMS.keys());

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
  if (pam) return pamFacts(pam);
  if (subsystem?.startsWith('pam_')) return pamFacts({ module: subsystem, message });
  const facts = program === undefined ? undefined : PROGRAMS.get(program);
  return facts?.(message);
}
