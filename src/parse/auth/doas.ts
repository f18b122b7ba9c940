import { authentication, firstMatch, privilegedCommand, type AuthFacts, type MessageRule } from './facts';

/**
 * doas: OpenDoas 6.x (doas.c, pam.c, shadow.c) and OpenBSD's doas before 6.x (as published in Wazuh's tests):
 * `U ran command CMD as T from CWD`, `command not permitted for U: CMD`, `failed auth for U`,
 * `tty required for U`; older `U ran command as T: CMD` and `failed command for U: CMD`. Facts are assembled
 * with Object.assign, not spread, for the reason pam.ts gives.
 */
const RULES: readonly MessageRule[] = [
  {
    pattern: /^(\S+) ran command (.*) as (\S+) from (.*)$/s,
    facts: ([, user, command, target, cwd]) =>
      Object.assign(privilegedCommand('doas-command', 'success'), {
        'user.name': user!,
        'user.target.name': target!,
        'process.command_line': command!,
        'process.working_directory': cwd!,
      }),
  },
  {
    pattern: /^(\S+) ran command as (\S+): (.*)$/s,
    facts: ([, user, target, command]) =>
      Object.assign(privilegedCommand('doas-command', 'success'), {
        'user.name': user!,
        'user.target.name': target!,
        'process.command_line': command!,
      }),
  },
  {
    pattern: /^(?:command not permitted|failed command) for (\S+): (.*)$/s,
    facts: ([, user, command]) =>
      Object.assign(privilegedCommand('doas-command', 'failure'), {
        'user.name': user!,
        'process.command_line': command!,
        'event.reason': 'command not permitted',
      }),
  },
  {
    pattern: /^(failed auth|tty required) for (\S+)$/,
    facts: ([, what, user]) =>
      Object.assign(authentication('failure', 'doas-auth'), {
        'user.name': user!,
        'event.reason': what === 'tty required' ? 'a tty is required' : 'authentication failed',
      }),
  },
];

export const doasFacts = (message: string): AuthFacts | undefined => firstMatch(RULES, message);
