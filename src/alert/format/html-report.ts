import type { Alert } from '../../domain/alert';
import { LEVELS } from '../../domain/rule';
import type { ScanSummary } from '../../scan/scan-summary';
import { alertRow, shortTime } from './alert-row';
import { LEVEL_COLOURS, timelineChart } from './html-chart';
import { htmlText } from './html-text';

/**
 * One self-contained HTML file to hand to a colleague or a manager: the summary, the per-host timeline
 * chart, and the alert table with a text filter. Nothing is fetched — styles and the filter's few lines of
 * script are inline, the chart is SVG — and a Content-Security-Policy forbids any request, so opening it
 * on an analyst's machine contacts nobody. Every value from the evidence is escaped (htmlText).
 */
export function htmlReport(alerts: readonly Alert[], summary: ScanSummary, generated: Date): string {
  const rows = alerts.map((a) => {
    const r = alertRow(a);
    const end = r.end !== undefined ? ` … ${shortTime(r.end)}` : '';
    return (
      `<tr class="sev-${htmlText(r.severity)}" data-id="${htmlText(a.id)}">` +
      `<td class="time">${shortTime(r.time)}${end}</td><td class="sev">${htmlText(r.severity)}</td>` +
      `<td class="rule" title="${htmlText(r.title)}">${htmlText(r.rule)}</td><td>${htmlText(r.host)}</td>` +
      `<td class="n">${r.count > 1 ? `×${r.count}` : ''}</td><td class="subject">${htmlText(r.subject)}</td></tr>`
    );
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tuxwatch scan report</title>
<style>${STYLE}</style></head>
<body>
<h1>tuxwatch scan report</h1>
<p class="meta">generated ${generated.toISOString()} · times in UTC</p>
<section id="summary"><h2>Summary</h2>${summaryHtml(summary)}</section>
<section id="chart"><h2>Alerts over time, per host</h2>${legend()}${timelineChart(alerts)}</section>
<section id="alerts"><h2>Alerts</h2>
<p><input id="filter" type="search" placeholder="filter: any text in a row (rule, host, user, path…)" size="60">
<span id="shown">${alerts.length} of ${alerts.length}</span></p>
<table id="alert-table"><thead><tr><th>time (UTC)</th><th>severity</th><th>rule</th><th>host</th><th>n</th><th>subject</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></section>
<script>${FILTER}</script>
</body></html>
`;
}

function summaryHtml(s: ScanSummary): string {
  const item = (name: string, value: string) => `<tr><th>${name}</th><td>${value}</td></tr>`;
  const levels = [...LEVELS]
    .reverse()
    .map((l) => `<span class="pill sev-${l}">${l} ${s.bySeverity[l]}</span>`)
    .join(' ');
  const out = [
    item(
      'read',
      `${s.files} file(s), ${s.records} record(s), ${s.events} event(s), ${s.deadLettered} dead letter(s)`,
    ),
    ...(s.firstEvent !== undefined && s.lastEvent !== undefined
      ? [item('evidence', `${shortTime(s.firstEvent)} … ${shortTime(s.lastEvent)}`)]
      : []),
    item(
      'alerts',
      `${s.alerts === s.alertsFound ? s.alerts : `${s.alerts} shown of ${s.alertsFound}`}: ${levels}`,
    ),
    item('by rule', s.byRule.map(([rule, n]) => `${htmlText(rule)} ${n}`).join(', ')),
    ...s.hosts.map((h) =>
      item('host', `${htmlText(h.host)}: ${h.alerts} alert(s), ${shortTime(h.first)} … ${shortTime(h.last)}`),
    ),
    ...s.skipped.map((f) => item('skipped', `${htmlText(f.path)}: ${htmlText(f.reason)}`)),
  ];
  return `<table class="summary">${out.join('')}</table>`;
}

const legend = (): string =>
  `<p class="legend">${[...LEVELS]
    .reverse()
    .map((l) => `<span class="pill sev-${l}">${l}</span>`)
    .join(' ')}</p>`;

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212529}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}.meta{color:#666;margin:0}
table{border-collapse:collapse}th,td{text-align:left;padding:3px 8px;vertical-align:top}
.summary th{color:#555;font-weight:600;white-space:nowrap}
#alert-table{width:100%}#alert-table thead th{border-bottom:2px solid #ccc;position:sticky;top:0;background:#fff}
#alert-table td{border-bottom:1px solid #eee;font-family:ui-monospace,monospace;font-size:12.5px}
td.time{white-space:nowrap}td.subject{word-break:break-all}td.n{color:#555}
.pill{display:inline-block;padding:0 8px;border-radius:9px;color:#fff;font-size:12px}
${LEVELS.map((l) => `.pill.sev-${l}{background:${LEVEL_COLOURS[l]}}tr.sev-${l} td.sev{color:${LEVEL_COLOURS[l]};font-weight:700}`).join('\n')}
tr.sev-critical td{background:#fff0f0}
svg text{font:11px system-ui,sans-serif;fill:#333}svg .axis{stroke:#ccc}svg .tick{fill:#777}
`;

/** the text filter: rows whose text does not contain every word typed are hidden */
const FILTER = `
(function(){var box=document.getElementById('filter'),shown=document.getElementById('shown');
var rows=[].slice.call(document.querySelectorAll('#alert-table tbody tr'));
box.addEventListener('input',function(){var words=box.value.toLowerCase().split(/\\s+/).filter(Boolean),n=0;
rows.forEach(function(r){var t=r.textContent.toLowerCase(),ok=words.every(function(w){return t.indexOf(w)>=0});
r.style.display=ok?'':'none';if(ok)n++;});shown.textContent=n+' of '+rows.length;});})();
`;
