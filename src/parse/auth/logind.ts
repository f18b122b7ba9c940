import { firstMatch, optional, session, type AuthFacts, type MessageRule } from './facts';

/**
 * systemd-logind's session messages (src/login/logind-session.c): `New session 7 of user alice.` (257 and before),
 * `New session '7' of user 'alice' with class 'user' and type 'tty'.` (later; 262 writes it), `Session 7 logged
 * out. Waiting for processes to exit.`, `Removed session 7.` Facts are assembled with Object.assign, not spread,
 * for the reason pam.ts gives.
 */
const RULES: readonly MessageRule[] = [
  {
    pattern: /^New session '?([^'\s]+)'? of user '?(.+?)'?(?: with class '([^']*)' and type '([^']*)')?\.$/s,
    facts: ([, id, user, klass, type]) =>
      Object.assign(
        session('logind-session-new'),
        { 'user.name': user!, 'tuxwatch.session.id': id! },
        optional({ 'tuxwatch.session.class': klass, 'tuxwatch.session.type': type }),
      ),
  },
  {
    pattern: /^Session '?([^'\s]+)'? logged out\. Waiting for processes to exit\.$/,
    facts: ([, id]) =>
      Object.assign(session('logind-session-logged-out', true), { 'tuxwatch.session.id': id! }),
  },
  {
    pattern: /^Removed session '?([^'\s]+?)'?\.$/,
    facts: ([, id]) => Object.assign(session('logind-session-removed', true), { 'tuxwatch.session.id': id! }),
  },
];

export const logindFacts = (message: string): AuthFacts | undefined => firstMatch(RULES, message);
