import type { FieldValue } from '../../domain/event';
import { isWordChar } from '../text-checks';

/** ECS fields an auth message adds to its event. */
export type AuthFacts = Record<string, FieldValue>;

/** One message shape: a pattern and what its captures mean. */
export interface MessageRule {
  readonly pattern: RegExp;
  readonly facts: (m: RegExpExecArray) => AuthFacts;
}

export function firstMatch(rules: readonly MessageRule[], message: string): AuthFacts | undefined {
  for (const rule of candidates(rules, message)) {
    const m = rule.pattern.exec(message);
    if (m) return rule.facts(m);
  }
  return undefined;
}

/**
 * A rule list by the first word of the message: most patterns start with a literal word (`^Invalid user `),
 * and a message whose first word is another cannot match them. Trying a long list pattern after pattern cost
 * more than the match itself; a message now meets only the rules of its first word and those that start
 * otherwise, in the list's order, so the first match is the same rule as before.
 */
interface RuleIndex {
  readonly byWord: ReadonlyMap<string, readonly MessageRule[]>;
  /** the rules no first word rules out */
  readonly anyWord: readonly MessageRule[];
}

const indexes = new WeakMap<readonly MessageRule[], RuleIndex>();

function candidates(rules: readonly MessageRule[], message: string): readonly MessageRule[] {
  let index = indexes.get(rules);
  if (index === undefined) {
    index = indexRules(rules);
    indexes.set(rules, index);
  }
  return index.byWord.get(firstWord(message)) ?? index.anyWord;
}

function indexRules(rules: readonly MessageRule[]): RuleIndex {
  const words = new Set(rules.map((r) => leadingWord(r.pattern)).filter((w) => w !== undefined));
  const byWord = new Map<string, MessageRule[]>();
  for (const word of words) {
    byWord.set(
      word,
      rules.filter((r) => {
        const w = leadingWord(r.pattern);
        return w === undefined || w === word;
      }),
    );
  }
  return { byWord, anyWord: rules.filter((r) => leadingWord(r.pattern) === undefined) };
}

/**
 * The literal word a pattern's match must start with, when its source says so plainly: `^` then word
 * characters then a literal character that ends a word (`^Invalid user `, `^PAM: `). Anything else (an
 * alternation, a class, a quantifier, flags that move `^` or fold case) gives undefined: tried for every message.
 */
function leadingWord(pattern: RegExp): string | undefined {
  if (/[gimy]/.test(pattern.flags)) return undefined;
  return /^\^(\w+)[ :,;'"=]/.exec(pattern.source)?.[1];
}

/** The message's leading run of word characters (`[A-Za-z0-9_]`), as leadingWord reads a pattern's. */
function firstWord(message: string): string {
  let end = 0;
  while (end < message.length && isWordChar(message.charCodeAt(end))) end++;
  return message.slice(0, end);
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** `rhost=`/`from` values are an IP address or a host name; ECS keeps them apart. */
export function remoteHost(value: string | undefined): AuthFacts {
  if (!value) return {};
  return IPV4.test(value) || value.includes(':') ? { 'source.ip': value } : { 'source.domain': value };
}

export const port = (value: string | undefined): AuthFacts => (value ? { 'source.port': Number(value) } : {});

/** `from HOST port N`, the pair most sshd lines end with. */
export function source(host: string | undefined, p?: string): AuthFacts {
  const facts = remoteHost(host);
  if (p) facts['source.port'] = Number(p);
  return facts;
}

/** Fields present only when their value is: `optional({'user.name': u})` drops undefined and empty values. */
export function optional(fields: Record<string, string | undefined>): AuthFacts {
  const out: AuthFacts = {};
  // for…in, not Object.entries: the same keys in the same order, without an array of pairs for every message
  for (const k in fields) {
    const v = fields[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

export type Outcome = 'success' | 'failure' | 'unknown';

export function authentication(outcome: Outcome, action: string, type: string[] = ['start']): AuthFacts {
  return {
    'event.category': ['authentication'],
    'event.type': type,
    'event.action': action,
    'event.outcome': outcome,
  };
}

/**
 * An ssh login attempt for a name that is no account (sshd's `Invalid user`, Dropbear's `Login attempt for
 * nonexistent user`): a failure that brute-force counting takes like a wrong password, marked invalid-user.
 */
export function invalidUserAttempt(user: string | undefined, host?: string, p?: string): AuthFacts {
  return Object.assign(
    authentication('failure', 'ssh-invalid-user'),
    optional({ 'user.name': user }),
    { 'tuxwatch.auth.invalid_user': true },
    source(host, p),
  );
}

export function iam(action: string, type: string[], outcome: Outcome = 'success'): AuthFacts {
  return {
    'event.category': ['iam'],
    'event.type': type,
    'event.action': action,
    'event.outcome': outcome,
  };
}

export function session(action: string, end = false): AuthFacts {
  return {
    'event.category': ['session'],
    'event.type': [end ? 'end' : 'start'],
    'event.action': action,
    'event.outcome': 'success',
  };
}

/** A connection-level fact (opened, closed, refused before any authentication). */
export function network(
  action: string,
  type: 'start' | 'end' | 'denied' | 'info',
  outcome?: Outcome,
): AuthFacts {
  const facts: AuthFacts = { 'event.category': ['network'], 'event.type': [type], 'event.action': action };
  if (outcome !== undefined) facts['event.outcome'] = outcome;
  return facts;
}

/** A command run for another account (sudo, doas). */
export function privilegedCommand(action: string, outcome: Outcome): AuthFacts {
  return {
    'event.category': ['process'],
    'event.type': ['start'],
    'event.action': action,
    'event.outcome': outcome,
  };
}

/**
 * One record standing for several occurrences (PAM's `N more authentication failures`, rsyslog's `message
 * repeated N times`): correlations weigh the event by this count; absent means 1.
 */
export const EVENT_COUNT = 'tuxwatch.event.count';
