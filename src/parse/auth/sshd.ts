import { firstMatch, type AuthFacts } from './facts';
import { SSHD_AUTH_RULES } from './sshd-auth';
import { SSHD_CONNECTION_RULES } from './sshd-connection';

/** The log level sshd (log.c) writes before errors and fatals, and debug levels at LogLevel DEBUG. */
const LEVEL_PREFIX = /^(?:error|fatal|debug[1-3]?|verbose): /;
const LEVEL_INITIALS = 'efdv';
/** Privilege-separated children mark their lines: `[preauth]` (7.x+), `[net]`, `[priv]`, `[listener]`. */
const CHILD_SUFFIX = / \[(preauth|net|priv|listener)\]$/;

/**
 * OpenSSH sshd (and sshd-session, 9.8+) messages. The level prefix and the privilege-separation suffix are
 * taken off before the message is matched; a `[preauth]` line is one written before the client authenticated.
 */
export function sshdFacts(message: string): AuthFacts | undefined {
  // the level's pattern is only tried where a level can start: a regex call cost more than the test
  let text = LEVEL_INITIALS.includes(message.charAt(0)) ? message.replace(LEVEL_PREFIX, '') : message;
  const child = text.endsWith(']') ? CHILD_SUFFIX.exec(text) : null;
  if (child) text = text.slice(0, child.index);
  const facts = firstMatch(SSHD_AUTH_RULES, text) ?? firstMatch(SSHD_CONNECTION_RULES, text);
  if (facts && child?.[1] === 'preauth') facts['tuxwatch.ssh.preauth'] = true;
  return facts;
}
