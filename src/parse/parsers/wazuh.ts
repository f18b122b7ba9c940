import type { MutableEvent } from '../../domain/event';
import type { ParseContext, Parser } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import { timestampToUtc } from '../../normalize/time';
import { getPath, looksLikeJsonObject, type JsonObject } from '../json-record';
import { baseEvent, basename, integer, text } from './event-base';
import { addFileChange, changeAction, type FimAction } from './fim-event';
import { guarded, LIMITS, parseBoundedJson } from './record-limits';
import { wazuhChanged, wazuhFileState } from './wazuh-syscheck';
import { WAZUH_FIELDS } from '../fields/file-integrity-fields';

const ACTIONS: Readonly<Record<string, FimAction>> = { added: 'created', deleted: 'deleted' };
const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Wazuh alerts with a `syscheck` object (alerts.json lines, or a hit exported from the Wazuh indexer
 * with the alert under `_source`). @timestamp is the alert's `timestamp`. Wazuh writes mtime_before/
 * mtime_after without an offset, in the manager's local time - the same clock as the alert's own
 * timestamp - so they are read with that timestamp's offset (the 2025 indexer hits in the fixtures show
 * it: `11:54:54` with an alert at `11:54:54.192-0500` is the epoch 16:54:54Z in full_log); epoch numbers
 * are taken as they are. agent.name is host.name. The Wazuh rule, mode and who-data stay under wazuh.*.
 */
export const wazuhParser: Parser = {
  kind: 'wazuh',
  fields: [WAZUH_FIELDS],
  sniff: (text) => looksLikeJsonObject(text) && /"syscheck"\s*:\s*\{/.test(text),
  parse: guarded(parseWazuh),
};

function parseWazuh(raw: string, ctx: ParseContext) {
  const json = parseBoundedJson(raw);
  if (!json.ok) return rejected(json.reason);
  const source = getPath(json.value, '_source');
  const alert = isObject(source) && isObject(source['syscheck']) ? source : json.value;
  const syscheck = alert['syscheck'];
  if (!isObject(syscheck)) return rejected('Wazuh alert has no syscheck object');
  const path = text(syscheck['path']);
  if (!path || path.length > LIMITS.maxPathLength) return rejected('Wazuh syscheck has no usable path');
  const stamp = text(alert['timestamp']) ?? text(alert['@timestamp']);
  if (stamp === undefined) return rejected('Wazuh alert has no timestamp');
  const timestamp = timestampToUtc(stamp, ctx.timezone);
  if (!timestamp)
    return rejected(`Wazuh timestamp is not a timestamp: ${JSON.stringify(stamp.slice(0, 60))}`);
  const offset = OFFSET.exec(stamp.trim())?.[1];

  const readTime = (v: unknown): string | undefined => {
    if (typeof v === 'number') return Number.isFinite(v) ? new Date(v * 1000).toISOString() : undefined;
    if (typeof v !== 'string') return undefined;
    if (/^\d{9,11}$/.test(v)) return new Date(Number(v) * 1000).toISOString();
    if (OFFSET.test(v) || offset === undefined) return timestampToUtc(v, ctx.timezone);
    return timestampToUtc(`${v}${offset}`, ctx.timezone);
  };
  const current = wazuhFileState(syscheck, 'after', readTime);
  const previous = wazuhFileState(syscheck, 'before', readTime);
  const changed = wazuhChanged(syscheck, current, previous);
  const kind = text(syscheck['event']) ?? 'modified';
  const action = ACTIONS[kind] ?? changeAction(changed);

  const event = baseEvent(
    {
      timestamp,
      original: raw,
      kind: 'wazuh',
      dataset: 'file_integrity',
      host: text(getPath(alert, 'agent.name')),
      timezone: offset === undefined ? ctx.timezone : undefined,
    },
    ctx,
  );
  addFileChange(event, {
    path,
    action,
    current,
    previous,
    changed: action === 'created' ? undefined : changed,
  });
  addWazuhContext(event, alert, syscheck);
  return parsed([event]);
}

/** Who-data as ECS where it maps cleanly, and the Wazuh rule/agent/mode under wazuh.*. */
function addWazuhContext(event: MutableEvent, alert: JsonObject, syscheck: JsonObject): void {
  const put = (name: string, value: unknown): void => {
    const v = text(value);
    if (v !== undefined) event[name] = v;
  };
  const processName = text(
    getPath(syscheck, 'audit.process.name') ?? getPath(syscheck, 'audit.proccess.name'),
  );
  if (processName !== undefined) {
    event['process.name'] = basename(processName);
    if (processName.startsWith('/')) event['process.executable'] = processName;
  }
  const pid = integer(getPath(syscheck, 'audit.process.id') ?? getPath(syscheck, 'audit.proccess.id'));
  if (pid !== undefined) event['process.pid'] = pid;
  put('user.name', getPath(syscheck, 'audit.user.name'));
  put('user.id', getPath(syscheck, 'audit.user.id'));
  put('user.effective.name', getPath(syscheck, 'audit.effective_user.name'));
  put('user.effective.id', getPath(syscheck, 'audit.effective_user.id'));
  put('wazuh.syscheck.audit.login_user.name', getPath(syscheck, 'audit.login_user.name'));
  put('wazuh.syscheck.audit.login_user.id', getPath(syscheck, 'audit.login_user.id'));
  put('wazuh.syscheck.mode', syscheck['mode']);
  put('wazuh.syscheck.event', syscheck['event']);
  put('wazuh.syscheck.diff', syscheck['diff']);
  put('wazuh.rule.id', getPath(alert, 'rule.id'));
  put('wazuh.rule.description', getPath(alert, 'rule.description'));
  const level = integer(getPath(alert, 'rule.level'));
  if (level !== undefined) event['wazuh.rule.level'] = level;
  put('wazuh.agent.id', getPath(alert, 'agent.id'));
  put('wazuh.manager.name', getPath(alert, 'manager.name'));
  put('wazuh.id', alert['id']);
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
