import { authentication, firstMatch, type AuthFacts, type MessageRule } from './facts';

/** sudo's log line: `user : [reason ; ]TTY=… ; PWD=… ; USER=… ; [GROUP=… ; ]COMMAND=…`. */
const SUDO =
  /^(\S+) : (?:(.*?) ; )?(?:TTY=(\S+) ; )?PWD=(.*?) ; USER=(\S+) ; (?:GROUP=\S+ ; )?(?:ENV=.*? ; )?COMMAND=(.*)$/s;

export function sudoFacts(message: string): AuthFacts | undefined {
  const m = SUDO.exec(message);
  if (!m) return undefined;
  const [, user, problem, tty, pwd, target, command] = m;
  const denied = problem !== undefined && problem !== '';
  return {
    'event.category': ['process'],
    'event.type': ['start'],
    'event.action': 'sudo-command',
    'event.outcome': denied ? 'failure' : 'success',
    'user.name': user!,
    'user.target.name': target!,
    'process.command_line': command!,
    'process.working_directory': pwd!,
    ...(tty ? { 'process.tty.name': tty } : {}),
    ...(denied ? { 'event.reason': problem! } : {}),
  };
}

/** util-linux su: `(to alice) root on pts/0`, `FAILED SU (to root) bob on pts/0`. */
const SU_RULES: readonly MessageRule[] = [
  {
    pattern: /^(?:\+ \S+ )?\(to (\S+)\) (\S+) on (\S+)$/,
    facts: ([, target, user, tty]) => ({
      ...authentication('success', 'su'),
      'user.name': user!,
      'user.target.name': target!,
      'process.tty.name': tty!,
    }),
  },
  {
    pattern: /^FAILED SU \(to (\S+)\) (\S+) on (\S+)$/,
    facts: ([, target, user, tty]) => ({
      ...authentication('failure', 'su'),
      'user.name': user!,
      'user.target.name': target!,
      'process.tty.name': tty!,
    }),
  },
];

export const suFacts = (message: string): AuthFacts | undefined => firstMatch(SU_RULES, message);
