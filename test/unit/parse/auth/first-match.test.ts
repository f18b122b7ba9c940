import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstMatch, type MessageRule } from '../../../../src/parse/auth/facts';
import { SSHD_AUTH_RULES } from '../../../../src/parse/auth/sshd-auth';
import { SSHD_CONNECTION_RULES } from '../../../../src/parse/auth/sshd-connection';
import { splitSyslogLine } from '../../../../src/parse/syslog/syslog-line';
import { corpusLines } from '../../../support/corpus';

/** What firstMatch did before it indexed rules by first word: every pattern in turn. */
function linearFirstMatch(rules: readonly MessageRule[], message: string) {
  for (const rule of rules) {
    const m = rule.pattern.exec(message);
    if (m) return rule.facts(m);
  }
  return undefined;
}

const rule = (pattern: RegExp, name: string): MessageRule => ({ pattern, facts: () => ({ name }) });

describe('firstMatch: rules indexed by the first word of the message', () => {
  it('picks the first rule in list order among indexed and unindexed patterns', () => {
    const rules = [
      rule(/^(Accepted|Failed) (\S+)/, 'alternation'),
      rule(/^Invalid user (\S+)/, 'invalid'),
      rule(/^PAM: (.*)/, 'pam'),
      rule(/^Disconnecting(?: (\S+))?/, 'disconnecting'),
      rule(/^invalid user (\S+)/i, 'case-folded'),
      rule(/^Invalid (\S+)/, 'invalid-any'),
      rule(/^\w+: x/, 'class'),
    ];
    const pick = (m: string) => firstMatch(rules, m)?.name;
    expect(pick('Failed password')).toBe('alternation');
    expect(pick('Invalid user bob from 10.0.0.1')).toBe('invalid');
    expect(pick('Invalid token')).toBe('invalid-any');
    expect(pick('INVALID USER bob')).toBe('case-folded');
    expect(pick('PAM: Authentication failure')).toBe('pam');
    expect(pick('Disconnecting: Too many authentication failures')).toBe('disconnecting');
    expect(pick('Disconnecting 10.0.0.1 port 22')).toBe('disconnecting');
    expect(pick('foo: x')).toBe('class');
    expect(pick('nothing here')).toBeUndefined();
    expect(pick('')).toBeUndefined();
  });

  it('gives what trying every sshd pattern in turn gives, on every sshd message of the corpus and fixtures', () => {
    const fixtures = join(__dirname, '..', '..', '..', 'fixtures', 'auth');
    const lines = [
      ...corpusLines('loghub', 'OpenSSH_2k.log'),
      ...corpusLines('web01', 'auth.log'),
      ...corpusLines('web02', 'auth.log'),
      ...readdirSync(fixtures)
        .filter((f) => f.endsWith('.log'))
        .flatMap((f) => readFileSync(join(fixtures, f), 'utf8').split('\n')),
    ];
    const messages = lines
      .map((l) => splitSyslogLine(l))
      .filter((s) => s?.program?.startsWith('sshd'))
      .map((s) => s!.message.replace(/^(?:error|fatal|debug[1-3]?|verbose): /, '').replace(/ \[\w+\]$/, ''));
    expect(messages.length).toBeGreaterThan(2000);
    let matched = 0;
    for (const rules of [SSHD_AUTH_RULES, SSHD_CONNECTION_RULES]) {
      for (const message of messages) {
        const facts = firstMatch(rules, message);
        expect(facts, message).toEqual(linearFirstMatch(rules, message));
        if (facts) matched++;
      }
    }
    // the rest are PAM lines and others neither list reads
    expect(matched).toBeGreaterThan(messages.length / 3);
  });
});
