import type { FactMapper } from './fact-event';

/** Facts about the collection itself and the host's clock: the `snapshot` dataset, which no rule reads. */
export const timeSync: FactMapper<'time-sync'> = (t) => ({
  dataset: 'snapshot',
  fields: {
    'event.category': ['host'],
    'event.type': ['info'],
    'tuxwatch.clock.synchronized': t.synchronized,
    'tuxwatch.clock.source': t.source,
    ...(t.zone !== undefined && { 'tuxwatch.clock.zone': t.zone }),
    ...(t.detail !== undefined && { 'tuxwatch.clock.detail': t.detail }),
  },
});

/** How a check went: its status, duration, facts, errors and notes (e.g. what it could not read unprivileged). */
export const checkSummary: FactMapper<'check'> = (c) => ({
  dataset: 'snapshot',
  fields: {
    'event.category': ['host'],
    'event.type': ['info'],
    'event.outcome': c.status === 'ok' ? 'success' : c.status === 'degraded' ? 'unknown' : 'failure',
    'event.duration': c.duration_ms * 1_000_000,
    'tuxwatch.collect.status': c.status,
    'tuxwatch.collect.duration_ms': c.duration_ms,
    'tuxwatch.collect.facts': c.facts,
    'tuxwatch.collect.max_rss_mb': c.max_rss_mb,
    'tuxwatch.collect.errors': c.errors.map((e) =>
      e.path !== undefined ? `${e.path}: ${e.message}` : e.message,
    ),
    'tuxwatch.collect.notes': c.notes,
  },
});
