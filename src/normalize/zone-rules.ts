import { isValidZone } from './time';

/** Where an offset-less timestamp's zone comes from when the record's transport does not name one. */
export interface ZoneRule {
  readonly scope: 'topic' | 'host';
  /** exact name, or a glob with `*` and `?` */
  readonly pattern: string;
  readonly zone: string;
}

/**
 * Parses `topic:linux.auth=Europe/Berlin,host:db-*=America/New_York`. Returns the rules or the first problem.
 */
export function parseZoneRules(text: string): ZoneRule[] | string {
  const rules: ZoneRule[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(topic|host):([^=]+)=(.+)$/.exec(part);
    if (!m) return `"${part}" is not topic:NAME=ZONE or host:PATTERN=ZONE`;
    const [, scope, pattern, zone] = m;
    if (!isValidZone(zone!)) return `"${zone}" is not an IANA time zone`;
    rules.push({ scope: scope as 'topic' | 'host', pattern: pattern!, zone: zone! });
  }
  return rules;
}

/** The zone configured for a topic or a host: the first matching rule wins. */
export class ZoneTable {
  private readonly topics: { match: RegExp; zone: string }[];
  private readonly hosts: { match: RegExp; zone: string }[];

  constructor(rules: readonly ZoneRule[]) {
    const compile = (r: ZoneRule) => ({ match: globToRegExp(r.pattern), zone: r.zone });
    this.topics = rules.filter((r) => r.scope === 'topic').map(compile);
    this.hosts = rules.filter((r) => r.scope === 'host').map(compile);
  }

  get hasHostRules(): boolean {
    return this.hosts.length > 0;
  }

  forTopic(topic: string): string | undefined {
    return this.topics.find((r) => r.match.test(topic))?.zone;
  }

  forHost(host: string): string | undefined {
    return this.hosts.find((r) => r.match.test(host))?.zone;
  }
}

/** `web*` -> /^web.*$/i: host names are case-insensitive; every other character is literal. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
