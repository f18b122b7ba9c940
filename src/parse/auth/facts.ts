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

export function authentication(
  outcome: 'success' | 'failure',
  action: string,
  type: string[] = ['start'],
): AuthFacts {
  return {
    'event.category': ['authentication'],
    'event.type': type,
    'event.action': action,
    'event.outcome': outcome,
  };
}

export function iam(action: string, type: string[]): AuthFacts {
  return {
    'event.category': ['iam'],
    'event.type': type,
    'event.action': action,
    'event.outcome': 'success',
  };
}

export function session(action: 'session-opened' | 'session-closed'): AuthFacts {
  return {
    'event.category': ['session'],
    'event.type': [action === 'session-opened' ? 'start' : 'end'],
    'event.action': action,
    'event.outcome': 'success',
  };
}
