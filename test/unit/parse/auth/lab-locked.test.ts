import { describe, it } from 'vitest';
import { expectFacts, lineEndingWith } from './auth-lines';

/** capture-locked.sh: Debian 12's Dropbear 2022.83 with libxcrypt 4.4.33 built --disable-failure-tokens. */
const locked = (message: string) => lineEndingWith('lab-locked.log', message);

describe("Dropbear's locked-account refusal, where crypt() returns NULL (capture-locked.sh)", () => {
  it.each([
    [locked("dropbear[81]: User account 'alice' is locked"), 'alice'],
    [locked("dropbear[84]: User account 'bob' is locked"), 'bob'],
  ])('%s', (line, user) =>
    expectFacts(line, {
      'process.name': 'dropbear',
      'event.category': ['authentication'],
      'event.action': 'ssh-user-not-allowed',
      'event.outcome': 'failure',
      'user.name': user,
      'event.reason': 'account is locked',
    }),
  );

  it("is a wrong password with Debian's libcrypt, whose failure token never matches", () =>
    expectFacts(locked("Bad password attempt for 'alice' from 127.0.0.1:43808"), {
      'event.action': 'ssh-login',
      'event.outcome': 'failure',
      'user.name': 'alice',
      'source.ip': '127.0.0.1',
      'source.port': 43808,
    }));
});
