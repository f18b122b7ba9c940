import { authentication, firstMatch, port, remoteHost, type AuthFacts, type MessageRule } from './facts';

/** OpenSSH sshd's own messages (auth.c, auth2.c, sshd.c), as they appear in auth.log. */
const RULES: readonly MessageRule[] = [
  {
    pattern: /^Accepted (\S+) for (\S+) from (\S+) port (\d+)/,
    facts: ([, method, user, host, p]) => ({
      ...authentication('success', 'ssh-login'),
      'user.name': user!,
      'tuxwatch.auth.method': method!,
      ...remoteHost(host),
      ...port(p),
    }),
  },
  {
    pattern: /^Failed (\S+) for (invalid user )?(.*?) from (\S+) port (\d+)/,
    facts: ([, method, invalid, user, host, p]) => ({
      ...authentication('failure', 'ssh-login'),
      'user.name': user!,
      'tuxwatch.auth.method': method!,
      'tuxwatch.auth.invalid_user': invalid !== undefined,
      ...remoteHost(host),
      ...port(p),
    }),
  },
  {
    pattern: /^Invalid user (.*?) from (\S+)(?: port (\d+))?$/,
    facts: ([, user, host, p]) => ({
      ...authentication('failure', 'ssh-invalid-user'),
      'user.name': user!,
      'tuxwatch.auth.invalid_user': true,
      ...remoteHost(host),
      ...port(p),
    }),
  },
  {
    pattern:
      /^(?:Disconnected from|Connection closed by|Received disconnect from) (?:(authenticating|invalid) user (\S+) |user (\S+) )?(\S+) port (\d+)/,
    facts: ([, phase, preauthUser, user, host, p]) => ({
      'event.category': ['network'],
      'event.type': ['end'],
      'event.action': phase ? 'ssh-disconnected-preauth' : 'ssh-disconnected',
      ...((preauthUser ?? user) ? { 'user.name': (preauthUser ?? user)! } : {}),
      ...remoteHost(host),
      ...port(p),
    }),
  },
  {
    pattern: /^Server listening on (\S+) port (\d+)/,
    facts: ([, ip, p]) => ({
      'event.category': ['network'],
      'event.type': ['start'],
      'event.action': 'ssh-server-listening',
      'server.ip': ip!,
      'server.port': Number(p),
    }),
  },
];

export const sshdFacts = (message: string): AuthFacts | undefined => firstMatch(RULES, message);
