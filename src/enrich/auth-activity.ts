import type { MutableEvent, SiemEvent } from '../domain/event';
import { ALWAYS_PRESENT, type FieldSet } from '../domain/field-catalogue';

/** The service's own `auth-log-silent` events (dataset health), for `rules validate`. */
export const AUTH_SILENCE_FIELDS: FieldSet = {
  name: 'auth-log silence (tuxwatch serve)',
  datasets: {
    health: [
      ...ALWAYS_PRESENT,
      'event.category',
      'event.type',
      'event.action',
      'tuxwatch.silence.last_event',
      'tuxwatch.silence.minutes',
    ],
  },
};

interface HostActivity {
  /** event time of the newest auth record */
  lastEventAt: string;
  /** wall-clock time it arrived */
  lastSeenAt: number;
  /** the silence already reported, so one silence gives one event */
  reported: boolean;
}

/**
 * Notices hosts whose auth log falls silent. An attacker who stops or clears logging on a host leaves no
 * record to match a rule against — the missing records are the evidence. Only hosts that have sent auth
 * records are tracked, and only in this process: a restart starts the clock again.
 */
export class AuthActivity {
  private readonly hosts = new Map<string, HostActivity>();

  constructor(
    private readonly silenceMs: number,
    private readonly maxHosts = 100_000,
  ) {}

  observe(events: readonly SiemEvent[], now: number): void {
    for (const e of events) {
      const host = e['host.name'];
      // a collect run's accounts and wtmp records are a sweep, not the host's auth log speaking
      if (e['event.dataset'] !== 'auth' || e['event.module'] === 'snapshot' || typeof host !== 'string')
        continue;
      const known = this.hosts.get(host);
      if (known && known.lastEventAt > e['@timestamp']) {
        known.lastSeenAt = now;
        known.reported = false;
        continue;
      }
      this.hosts.delete(host);
      this.hosts.set(host, { lastEventAt: e['@timestamp'], lastSeenAt: now, reported: false });
      if (this.hosts.size > this.maxHosts) this.hosts.delete(this.hosts.keys().next().value!);
    }
  }

  /** One `auth-log-silent` event per host silent for longer than the threshold, until it speaks again. */
  silentHosts(now: number): SiemEvent[] {
    if (this.silenceMs <= 0) return [];
    const out: SiemEvent[] = [];
    for (const [host, a] of this.hosts) {
      if (a.reported || now - a.lastSeenAt < this.silenceMs) continue;
      a.reported = true;
      const minutes = Math.floor((now - a.lastSeenAt) / 60_000);
      const event: MutableEvent = {
        '@timestamp': new Date(now).toISOString(),
        'event.original': `no auth-log record from ${host} for ${minutes} min; the last one was written at ${a.lastEventAt}`,
        'event.kind': 'event',
        'event.module': 'tuxwatch',
        'event.dataset': 'health',
        'event.category': ['host'],
        'event.type': ['info'],
        'event.action': 'auth-log-silent',
        'host.name': host,
        'tuxwatch.silence.last_event': a.lastEventAt,
        'tuxwatch.silence.minutes': minutes,
      };
      out.push(event);
    }
    return out;
  }
}
