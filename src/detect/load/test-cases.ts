import { IANAZone } from 'luxon';
import type { FieldValue, Scalar, SiemEvent } from '../../domain/event';
import { INPUT_KINDS, isInputKind, type InputKind } from '../../domain/input-kind';
import type { ProblemLog } from './problems';
import { describeKind, type Position, type YMap, type YNode } from './yaml-tree';

/** A raw record handed to the injected parser, as a test case writes it. */
export interface TestRecord {
  readonly text: string;
  readonly source: InputKind;
  readonly host?: string;
  readonly timezone?: string;
}

/**
 * One case of a rule's `tests:` block: a raw record (parsed by the real parsers, injected) or a ready ECS event,
 * and whether the rule must fire on it.
 */
export interface RuleTestCase {
  readonly name: string;
  readonly expect: 'match' | 'no-match';
  readonly input: { readonly record: TestRecord } | { readonly event: SiemEvent };
  readonly pos: Position;
}

const CASE_KEYS = new Set(['name', 'expect', 'source', 'record', 'host', 'timezone', 'event']);
/** filled in when an event case leaves them out, so the event is a valid SiemEvent */
const EVENT_DEFAULTS = { '@timestamp': '1970-01-01T00:00:00.000Z', 'event.original': '' };

/** Validates a `tests:` list; a broken case is a located error (and the rule does not load). */
export function validateTestCases(node: YNode, log: ProblemLog): RuleTestCase[] {
  if (node.kind !== 'seq') {
    log.error(node.pos, `tests must be a list of test cases, not ${describeKind(node)}`);
    return [];
  }
  const cases: RuleTestCase[] = [];
  const names = new Set<string>();
  for (const item of node.items) {
    if (item.kind !== 'map') {
      log.error(
        item.pos,
        `a test case is a mapping (name, expect, source + record or event), not ${describeKind(item)}`,
      );
      continue;
    }
    const c = validateCase(item, log);
    if (c === undefined) continue;
    if (names.has(c.name)) log.error(item.pos, `two test cases named "${c.name}"`);
    names.add(c.name);
    cases.push(c);
  }
  return cases;
}

function validateCase(map: YMap, log: ProblemLog): RuleTestCase | undefined {
  const before = log.errorCount;
  const get = (key: string): YNode | undefined => map.entries.find((e) => e.key === key)?.value;
  for (const e of map.entries) {
    if (!CASE_KEYS.has(e.key))
      log.error(e.keyNode.pos, `unknown test case key "${e.key}" (known: ${[...CASE_KEYS].join(', ')})`);
  }
  const str = (key: string, required: boolean): string | undefined => {
    const v = get(key);
    if (v === undefined) {
      if (required) log.error(map.pos, `test case needs "${key}"`);
      return undefined;
    }
    if (v.kind !== 'scalar' || typeof v.value !== 'string') {
      log.error(v.pos, `test case "${key}" must be a string, not ${describeKind(v)}`);
      return undefined;
    }
    return v.value;
  };
  const name = str('name', true);
  const expect = str('expect', true);
  if (expect !== undefined && expect !== 'match' && expect !== 'no-match') {
    log.error(get('expect')!.pos, `expect must be "match" or "no-match", not "${expect}"`);
  }
  const eventNode = get('event');
  const hasRecord = get('record') !== undefined || get('source') !== undefined;
  let input: RuleTestCase['input'] | undefined;
  if (eventNode !== undefined && hasRecord) {
    log.error(map.pos, 'a test case gives either an event or a source + record, not both');
  } else if (eventNode !== undefined) {
    for (const k of ['host', 'timezone']) {
      if (get(k) !== undefined)
        log.error(get(k)!.pos, `"${k}" applies to records; put host.name etc. in the event`);
    }
    const event = toEvent(eventNode, log);
    if (event !== undefined) input = { event };
  } else {
    const source = str('source', true);
    const text = str('record', true);
    const host = str('host', false);
    const timezone = str('timezone', false);
    if (source !== undefined && !isInputKind(source)) {
      log.error(get('source')!.pos, `unknown source "${source}" (input kinds: ${INPUT_KINDS.join(', ')})`);
    }
    if (timezone !== undefined && !IANAZone.isValidZone(timezone)) {
      log.error(get('timezone')!.pos, `unknown IANA time zone "${timezone}"`);
    }
    if (source !== undefined && isInputKind(source) && text !== undefined) {
      input = {
        record: {
          text,
          source,
          ...(host !== undefined && { host }),
          ...(timezone !== undefined && { timezone }),
        },
      };
    }
  }
  if (log.errorCount > before || name === undefined || input === undefined) return undefined;
  return { name, expect: expect as 'match' | 'no-match', input, pos: map.pos };
}

function toEvent(node: YNode, log: ProblemLog): SiemEvent | undefined {
  if (node.kind !== 'map') {
    log.error(node.pos, `a test event is a mapping of flat ECS fields, not ${describeKind(node)}`);
    return undefined;
  }
  const event: Record<string, FieldValue> = Object.create(null) as Record<string, FieldValue>;
  let ok = true;
  for (const e of node.entries) {
    const v = e.value;
    if (v.kind === 'scalar') event[e.key] = v.value;
    else if (v.kind === 'seq' && v.items.every((i) => i.kind === 'scalar' && i.value !== null)) {
      event[e.key] = v.items.map((i) => (i.kind === 'scalar' ? i.value : null)) as Scalar[];
    } else {
      log.error(
        v.pos,
        `test event field "${e.key}" must be a scalar or a list of scalars (events are flat: write "a.b: x", not nested maps)`,
      );
      ok = false;
    }
  }
  if (!ok) return undefined;
  for (const [k, v] of Object.entries(EVENT_DEFAULTS)) if (event[k] === undefined) event[k] = v;
  return event as unknown as SiemEvent;
}
