import { network, optional, session, source, type AuthFacts, type MessageRule } from './facts';

/**
 * OpenSSH sshd's connection messages, 7.4 to 9.9: the identification (banner) exchange a scanner fails, the
 * ends of a connection (packet.c sshpkt_vfatal and ssh_packet_disconnect), sessions (session.c) and the
 * listener itself. Since 7.x a connection is named `[(authenticating|invalid) user USER ]HOST port N`
 * (sshpkt_fmt_connection_id); before that `HOST port N` or `HOST` alone. Facts are assembled with
 * Object.assign, not spread, for the reason pam.ts gives.
 */
const PEER = String.raw`(?:(authenticating user|invalid user|user) (\S*) )?(\S+?)(?: port (\d+))?`; // a client may send an empty name

/** The connection's client and, when the log names it, the account it was logging in as. */
function peer(
  phase: string | undefined,
  user: string | undefined,
  host: string | undefined,
  p?: string,
): AuthFacts {
  const facts = optional({ 'user.name': user });
  if (phase !== undefined) facts['tuxwatch.auth.invalid_user'] = phase === 'invalid user';
  return Object.assign(facts, source(host, p));
}

/**
 * A connection named `authenticating user U` or `invalid user U` ended before anyone logged in (auth2.c sets
 * that preamble until authentication succeeds, then `user U`): the login it carried failed. One named by its
 * address alone, or after login, has no outcome to tell.
 */
const endOutcome = (phase: string | undefined) =>
  phase === 'authenticating user' || phase === 'invalid user' ? 'failure' : undefined;

/** Which way a connection ended: by the client, by sshd on a protocol error, or by a reset. */
const ENDINGS: Readonly<Record<string, string>> = {
  'Connection closed by': 'ssh-connection-closed',
  'Disconnected from': 'ssh-disconnected',
  'Connection reset by': 'ssh-connection-reset',
  'Timeout before authentication for': 'ssh-auth-timeout',
};

export const SSHD_CONNECTION_RULES: readonly MessageRule[] = [
  {
    pattern: new RegExp(
      String.raw`^(Connection closed by|Disconnected from|Connection reset by|Timeout before authentication for) ${PEER}(?:: (.*))?$`,
      's',
    ),
    facts: ([, how, phase, user, host, p, reason]) =>
      Object.assign(
        network(ENDINGS[how!]!, 'end', endOutcome(phase)),
        peer(phase, user, host, p),
        optional({ 'event.reason': reason }),
      ),
  },
  {
    // 9.8+: the listener reaps a session child that never authenticated (sshd.c), naming both ends and the child
    pattern: /^Timeout before authentication for connection from (\S+) to (\S+), pid = (\d+)$/,
    facts: ([, host, local]) =>
      Object.assign(network('ssh-auth-timeout', 'end'), source(host), { 'destination.ip': local! }),
  },
  {
    // the client's SSH_MSG_DISCONNECT: `HOST port N:11: reason` (7.x+) or `HOST: 11: reason` (older)
    pattern: new RegExp(String.raw`^Received disconnect from ${PEER}: ?(\d+): (.*)$`, 's'),
    facts: ([, phase, user, host, p, code, reason]) =>
      Object.assign(
        network('ssh-disconnect-received', 'end', endOutcome(phase)),
        peer(phase, user, host, p),
        {
          'event.reason': reason!,
          'tuxwatch.ssh.disconnect_code': Number(code),
        },
      ),
  },
  {
    // sshd hangs up: `Disconnecting [user ]HOST port N: reason` (8.x+) or `Disconnecting: reason` (7.x)
    pattern: new RegExp(String.raw`^Disconnecting(?: ${PEER})?(?:: (.*))?$`, 's'),
    facts: ([, phase, user, host, p, reason]) =>
      Object.assign(
        network('ssh-disconnecting', 'end', 'failure'),
        host !== undefined ? peer(phase, user, host, p) : {},
        optional({ 'event.reason': reason }),
        tooManyFailures(reason ?? ''),
      ),
  },
  {
    pattern: new RegExp(String.raw`^Unable to negotiate with ${PEER}: (.*)$`, 's'),
    facts: ([, phase, user, host, p, reason]) =>
      Object.assign(network('ssh-negotiation-failed', 'denied', 'failure'), peer(phase, user, host, p), {
        'event.reason': reason!,
      }),
  },
  {
    pattern: /^Unable to negotiate a (.*)$/s,
    facts: ([, what]) =>
      Object.assign(network('ssh-negotiation-failed', 'denied', 'failure'), { 'event.reason': what! }),
  },
  {
    pattern: /^Read error from remote host (\S+?)(?: port (\d+))?: (.*)$/s,
    facts: ([, host, p, reason]) =>
      Object.assign(network('ssh-connection-reset', 'end'), source(host, p), { 'event.reason': reason! }),
  },
  {
    // compat.c before 7.x: a client banner known to belong to a scanner
    pattern: /^scanned from (\S+) with (.*?)\. {2}Don't panic\.$/s,
    facts: ([, host, banner]) =>
      Object.assign(probe('ssh-scanned'), source(host), { 'tuxwatch.ssh.client_banner': banner! }),
  },
  {
    pattern: /^Did not receive identification string from (\S+?)(?: port (\d+))?$/,
    facts: ([, host, p]) => Object.assign(probe('ssh-no-identification'), source(host, p)),
  },
  {
    pattern: /^Bad protocol version identification '(.*)' from (\S+?)(?: port (\d+))?$/s,
    facts: ([, banner, host, p]) =>
      Object.assign(
        probe('ssh-bad-protocol-version'),
        { 'tuxwatch.ssh.client_banner': banner! },
        source(host, p),
      ),
  },
  {
    // before 8.0 (sshd.c): `… for H port P: SERVER-BANNER vs. CLIENT-BANNER` (lab-unseen.log); 8.0+ (kex.c): `2 vs. 1`
    pattern: /^Protocol major versions differ(?: for (\S+?)(?: port (\d+))?)?: (.*)$/s,
    facts: ([, host, p, versions]) => {
      const client = host !== undefined ? / vs\. (.*)$/s.exec(versions!)?.[1] : undefined;
      const facts = probe('ssh-bad-protocol-version');
      facts['event.reason'] = `protocol major versions differ: ${versions!}`;
      if (client !== undefined) facts['tuxwatch.ssh.client_banner'] = client;
      return Object.assign(facts, source(host, p));
    },
  },
  {
    // 8.0+: the banner exchange failed; the next line ("banner exchange: Connection from …") names the client
    pattern: /^kex_exchange_identification: (?:client sent invalid protocol identifier "(.*)"|(.*))$/s,
    facts: ([, banner, reason]) =>
      banner !== undefined
        ? Object.assign(probe('ssh-bad-protocol-version'), { 'tuxwatch.ssh.client_banner': banner })
        : Object.assign(
            probe(
              IDENTIFICATION_MISSING.test(reason!) ? 'ssh-no-identification' : 'ssh-bad-protocol-version',
            ),
            { 'event.reason': reason! },
          ),
  },
  {
    pattern: /^Bad remote protocol version identification: '(.*)'$/s,
    facts: ([, banner]) =>
      Object.assign(probe('ssh-bad-protocol-version'), { 'tuxwatch.ssh.client_banner': banner! }),
  },
  {
    // sshpkt_fatal during the banner exchange: `banner exchange: Connection from HOST port N: invalid format`
    pattern: new RegExp(String.raw`^banner exchange: Connection from ${PEER}: (.*)$`, 's'),
    facts: ([, phase, user, host, p, reason]) =>
      Object.assign(
        probe(/invalid format/.test(reason!) ? 'ssh-bad-protocol-version' : 'ssh-no-identification'),
        peer(phase, user, host, p),
        { 'event.reason': reason! },
      ),
  },
  {
    pattern: /^Connection from (\S+) port (\d+) on (\S+) port (\d+)(?: rdomain "(.*)")?$/,
    facts: ([, host, p, local, localPort]) =>
      Object.assign(network('ssh-connection-opened', 'start'), source(host, p), {
        'destination.ip': local!,
        'destination.port': Number(localPort),
      }),
  },
  {
    // 9.8+: PerSourcePenalties and MaxStartups refusing a client before sshd-session runs
    pattern: /^drop connection #\d+ from \[(.+?)\]:(\d+) on \[(.+?)\]:(\d+) (.*)$/s,
    facts: ([, host, p, local, localPort, reason]) =>
      Object.assign(network('ssh-connection-dropped', 'denied', 'failure'), source(host, p), {
        'destination.ip': local!,
        'destination.port': Number(localPort),
        'event.reason': reason!,
      }),
  },
  {
    pattern: /^Starting session: (.+?) for (.*?) from (\S+) port (\d+)(?: id \d+)?$/s,
    facts: ([, kind, user, host, p]) =>
      Object.assign(
        session('ssh-session-started'),
        optional({ 'user.name': user }),
        sessionKind(kind!),
        source(host, p),
      ),
  },
  {
    pattern: /^Close session: user (.*?) from (\S+) port (\d+)(?: id \d+)?$/s,
    facts: ([, user, host, p]) =>
      Object.assign(session('ssh-session-closed', true), optional({ 'user.name': user }), source(host, p)),
  },
  {
    pattern: /^Server listening on (\S+) port (\d+)/,
    facts: ([, ip, p]) =>
      Object.assign(network('ssh-server-listening', 'start'), { 'server.ip': ip!, 'server.port': Number(p) }),
  },
  {
    pattern: /^Received signal (\d+); terminating\.$/,
    facts: ([, signal]) =>
      Object.assign(network('ssh-server-stopped', 'end'), { 'tuxwatch.signal': Number(signal) }),
  },
];

const IDENTIFICATION_MISSING = /Connection closed by remote host|Connection reset by peer|timed out/i;

/** A client that never spoke SSH properly: a port scanner, a banner grabber or a misdirected protocol. */
function probe(action: string): AuthFacts {
  return Object.assign(network(action, 'denied', 'failure'), { 'tuxwatch.ssh.probe': true });
}

/** `shell on pts/0`, `command`, `subsystem 'sftp'`, `forced-command (key-option) '…' on pts/1`. */
function sessionKind(kind: string): AuthFacts {
  const tty = / on (\S+)$/.exec(kind);
  const facts: AuthFacts = { 'tuxwatch.ssh.session': kind.replace(/ on \S+$/, '') };
  if (tty) facts['process.tty.name'] = tty[1]!;
  return facts;
}

/** `Too many authentication failures[ for USER]`: sshd giving up on a client, after auth_maxtries_exceeded. */
function tooManyFailures(reason: string): AuthFacts {
  const m = /^Too many authentication failures(?: for (.*))?/.exec(reason);
  if (!m) return {};
  return Object.assign({ 'event.action': 'ssh-too-many-auth-failures' }, optional({ 'user.name': m[1] }));
}
