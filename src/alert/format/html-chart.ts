import type { Alert } from '../../domain/alert';
import { LEVELS, type Level } from '../../domain/rule';
import { htmlText } from './html-text';

/** Severity colours of the report (the terminal's, as web colours). */
export const LEVEL_COLOURS: Readonly<Record<Level, string>> = {
  critical: '#b00020',
  high: '#e8590c',
  medium: '#e6b800',
  low: '#2b8a3e',
  informational: '#868e96',
};

const BUCKETS = 60;
const LANE = 34;
const LEFT = 150;
const WIDTH = 960;
const TOP = 16;

/**
 * Alerts over time, one lane per host, as an inline SVG (no script, no library, nothing fetched): the
 * evidence's alert span cut into 60 intervals, each a bar stacked by severity, most severe at the bottom;
 * a bar's title tells its interval and counts. A swimlane of counts needs no chart library — and an SVG
 * renders in any browser with scripts off.
 */
export function timelineChart(alerts: readonly Alert[]): string {
  if (alerts.length === 0) return '<p>No alerts.</p>';
  const times = alerts.map((a) => Date.parse(String(a.fields['@timestamp'])));
  const from = Math.min(...times);
  const to = Math.max(...times);
  const span = Math.max(to - from, 1);
  const hosts = [...new Set(alerts.map((a) => String(a.fields['host.name'])))].sort();
  const counts = new Map<string, number[][]>(
    hosts.map((h) => [h, Array.from({ length: BUCKETS }, () => LEVELS.map(() => 0))]),
  );
  alerts.forEach((a, i) => {
    const bucket = Math.min(BUCKETS - 1, Math.floor(((times[i]! - from) / span) * BUCKETS));
    const level = LEVELS.indexOf(String(a.fields['tuxwatch.severity']) as Level);
    counts.get(String(a.fields['host.name']))![bucket]![Math.max(level, 0)]!++;
  });
  const max = Math.max(1, ...[...counts.values()].flatMap((b) => b.map((c) => c.reduce((x, y) => x + y, 0))));
  const step = (WIDTH - LEFT - 10) / BUCKETS;
  const height = TOP + hosts.length * LANE + 28;
  const parts: string[] = [];
  hosts.forEach((host, lane) => {
    const base = TOP + (lane + 1) * LANE - 4;
    parts.push(
      `<text x="${LEFT - 8}" y="${base - 8}" text-anchor="end" class="lane">${htmlText(host)}</text>`,
      `<line x1="${LEFT}" x2="${WIDTH - 10}" y1="${base}" y2="${base}" class="axis"/>`,
    );
    counts.get(host)!.forEach((bucket, i) => {
      let y = base;
      for (let l = LEVELS.length - 1; l >= 0; l--) {
        const n = bucket[l]!;
        if (n === 0) continue;
        const h = Math.max(2, (n / max) * (LANE - 8));
        y -= h;
        const start = new Date(from + (i * span) / BUCKETS).toISOString();
        parts.push(
          `<rect x="${(LEFT + i * step + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, step - 2).toFixed(1)}" ` +
            `height="${h.toFixed(1)}" fill="${LEVEL_COLOURS[LEVELS[l]!]}" class="bar sev-${LEVELS[l]}">` +
            `<title>${htmlText(host)} ${start}: ${n} ${LEVELS[l]}</title></rect>`,
        );
      }
    });
  });
  const axis = TOP + hosts.length * LANE + 16;
  parts.push(
    `<text x="${LEFT}" y="${axis}" class="tick">${new Date(from).toISOString()}</text>`,
    `<text x="${WIDTH - 10}" y="${axis}" text-anchor="end" class="tick">${new Date(to).toISOString()}</text>`,
  );
  return (
    `<svg id="timeline" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-label="alerts over time per host">${parts.join('')}</svg>`
  );
}
