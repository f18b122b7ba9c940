import type { FieldValue } from '../../domain/event';

/** ECS fields an auth message adds to its event. */
export type AuthFacts = Record<string, FieldValue>;

/** One message shape: a pattern and what its captures mean. */
export interface MessageRule {
  readonly pattern: RegExp;
  readonly facts: (m: RegExpExecArray) => AuthFacts;
}

export function firstMatch(rules: readonly MessageRule[], message: string): AuthFacts | undefined {
  for (const rule of rules) {
    const m = rule.pattern.exec(message);
    if (m) return rule.facts(m);
  }
  return undefined;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** `rhost=`/`from` values are an IP address or a host name; ECS keeps them apart. */
export function remoteHost(value: string | undefined): AuthFacts {
  if (!value) return {};
  return IPV4.test(value) || value.includes(':') ? { 'source.ip': value } : { 'source.domain': value };
}

export const port = (value: string | undefined): AuthFacts => (value ? { 'source.port': Number(value) } : {});

/** `from HOST port N`, the pair most sshd lines end with. */
export const source = (host: string | undefined, p?: string): AuthFacts => ({
  ...remoteHost(host),
  ...port(p),
});

/** Fields present only when their value is: `optional({'user.name': u})` drops undefined and empty values. */
export function optional(fields: Record<string, string | undefined>): AuthFacts {
  const out: AuthFacts = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') out[k] = v;
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
  return {
    'event.category': ['network'],
    'event.type': [type],
    'event.action': action,
    ...(outcome !== undefined && { 'event.outcome': outcome }),
  };
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
