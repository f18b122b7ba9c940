import * as path from 'node:path';
import { LEVELS, type Level, type RuleMeta } from '../../domain/rule';
import type { Logsource } from '../sigma/logsource';
import type { ProblemLog } from './problems';
import type { RuleDocument } from './rule-reader';
import { readFindingIdentity } from './finding-identity';
import { validateTestCases, type RuleTestCase } from './test-cases';
import { describeKind, entry, type Position, type YMap, type YNode } from './yaml-tree';

/** A rule document whose shape is right; its detection is still to be compiled. */
export interface RuleSpec {
  readonly kind: 'rule';
  readonly meta: RuleMeta;
  /** Sigma `name`: how correlation rules may refer to it */
  readonly name?: string;
  readonly logsource: Logsource;
  /** where the logsource is written, and each of its keys */
  readonly logsourcePos: Position & { readonly keys: Readonly<Partial<Record<keyof Logsource, Position>>> };
  readonly detection: YMap;
  readonly tests: readonly RuleTestCase[];
}

/** A Sigma v2 correlation document; its `correlation:` block is checked by the correlation compiler. */
export interface CorrelationSpec {
  readonly kind: 'correlation';
  readonly meta: RuleMeta;
  readonly name?: string;
  readonly correlation: YMap;
  readonly pos: Position;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAG = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;
const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
const MAX_TITLE = 256;

/** The rule's stable slug: its file name without extension, plus `#n` in a multi-document file. */
export function ruleSlug(doc: RuleDocument): string {
  const base = path.basename(doc.file, path.extname(doc.file));
  return doc.count > 1 ? `${base}#${doc.index}` : base;
}

/**
 * Checks the document's top-level shape (Sigma's required fields and their types) and builds the rule's
 * metadata. Returns undefined, with located errors, when the rule cannot load.
 */
export function validateRuleDocument(
  doc: RuleDocument,
  log: ProblemLog,
): RuleSpec | CorrelationSpec | undefined {
  const root = doc.root;
  if (root.kind !== 'map') {
    log.error(doc.pos, `a rule document is a mapping, not ${describeKind(root)}`);
    return undefined;
  }
  const before = log.errorCount;
  const action = entry(root, 'action');
  if (action !== undefined) {
    log.error(
      action.keyNode.pos,
      'Sigma v1 rule collections ("action: global/reset/repeat") are not supported: write each rule as a complete document',
    );
    return undefined;
  }
  const meta = validateMeta(doc, root, log);
  const nameEntry = entry(root, 'name');
  let name: string | undefined;
  if (nameEntry !== undefined) {
    if (nameEntry.value.kind === 'scalar' && typeof nameEntry.value.value === 'string')
      name = nameEntry.value.value;
    else log.error(nameEntry.value.pos, `name must be a string, not ${describeKind(nameEntry.value)}`);
  }
  const correlation = entry(root, 'correlation');
  if (correlation !== undefined) {
    if (entry(root, 'detection') !== undefined) {
      log.error(
        correlation.keyNode.pos,
        'a document is either a rule (detection) or a correlation, not both',
      );
    }
    if (correlation.value.kind !== 'map') {
      log.error(
        correlation.value.pos,
        `correlation must be a mapping, not ${describeKind(correlation.value)}`,
      );
    }
    if (log.errorCount > before || meta === undefined || correlation.value.kind !== 'map') return undefined;
    return {
      kind: 'correlation',
      meta,
      correlation: correlation.value,
      pos: root.pos,
      ...(name !== undefined && { name }),
    };
  }

  const logsource = validateLogsource(root, log);
  const detection = required(root, 'detection', log);
  if (detection !== undefined) {
    if (detection.kind !== 'map')
      log.error(detection.pos, `detection must be a mapping, not ${describeKind(detection)}`);
    else if (entry(detection, 'condition') === undefined) {
      log.error(entry(root, 'detection')!.keyNode.pos, 'detection has no condition');
    }
  }
  const testsEntry = entry(root, 'tests');
  const tests = testsEntry === undefined ? [] : validateTestCases(testsEntry.value, log);
  if (log.errorCount > before || meta === undefined || logsource === undefined || detection?.kind !== 'map') {
    return undefined;
  }
  return {
    kind: 'rule',
    meta,
    logsource: logsource.value,
    logsourcePos: logsource.pos,
    detection,
    tests,
    ...(name !== undefined && { name }),
  };
}

function required(root: YMap, key: string, log: ProblemLog): YNode | undefined {
  const e = entry(root, key);
  if (e === undefined) log.error(root.pos, `missing required field "${key}"`);
  return e?.value;
}

function text(node: YNode | undefined, key: string, log: ProblemLog): string | undefined {
  if (node === undefined) return undefined;
  if (node.kind === 'scalar' && typeof node.value === 'string') return node.value;
  log.error(node.pos, `${key} must be a string, not ${describeKind(node)}`);
  return undefined;
}

function stringList(node: YNode | undefined, key: string, log: ProblemLog): string[] | undefined {
  if (node === undefined) return undefined;
  if (node.kind === 'scalar' && typeof node.value === 'string') return [node.value];
  if (node.kind === 'seq') {
    const out: string[] = [];
    for (const item of node.items) {
      if (item.kind === 'scalar' && item.value !== null && typeof item.value !== 'boolean')
        out.push(String(item.value));
      else log.error(item.pos, `${key} holds strings, not ${describeKind(item)}`);
    }
    return out;
  }
  log.error(node.pos, `${key} must be a list of strings, not ${describeKind(node)}`);
  return undefined;
}

function validateMeta(doc: RuleDocument, root: YMap, log: ProblemLog): RuleMeta | undefined {
  const before = log.errorCount;
  const title = text(required(root, 'title', log), 'title', log);
  if (title !== undefined && title.trim() === '')
    log.error(entry(root, 'title')!.value.pos, 'title is empty');
  if (title !== undefined && title.length > MAX_TITLE) {
    log.warning(entry(root, 'title')!.value.pos, `title longer than ${MAX_TITLE} characters`);
  }
  const idNode = required(root, 'id', log);
  const uuid = text(idNode, 'id', log);
  if (uuid !== undefined && !UUID.test(uuid)) log.error(idNode!.pos, `id must be a UUID, not "${uuid}"`);

  const levelNode = entry(root, 'level')?.value;
  let level: Level = 'medium';
  if (levelNode === undefined) {
    log.warning(root.pos, `no level: alerts get "medium" (levels: ${LEVELS.join(', ')})`);
  } else {
    const l = text(levelNode, 'level', log);
    if (l !== undefined && !(LEVELS as readonly string[]).includes(l)) {
      log.error(levelNode.pos, `level must be one of ${LEVELS.join(', ')}, not "${l}"`);
    } else if (l !== undefined) level = l as Level;
  }

  const statusNode = entry(root, 'status')?.value;
  const status = text(statusNode, 'status', log);
  if (status !== undefined && !STATUSES.includes(status)) {
    log.warning(statusNode!.pos, `unknown status "${status}" (Sigma: ${STATUSES.join(', ')})`);
  }

  const tagsNode = entry(root, 'tags')?.value;
  const tags = stringList(tagsNode, 'tags', log) ?? [];
  if (tagsNode?.kind === 'seq') {
    tagsNode.items.forEach((item, i) => {
      const t = tags[i];
      if (t !== undefined && !TAG.test(t)) {
        log.warning(item.pos, `tag "${t}" is not namespace.value in lowercase (e.g. attack.t1098)`);
      }
    });
  }
  const description = text(entry(root, 'description')?.value, 'description', log);
  const falsepositives = stringList(entry(root, 'falsepositives')?.value, 'falsepositives', log);
  const finding = readFindingIdentity(root, log);
  if (log.errorCount > before || title === undefined || uuid === undefined) return undefined;
  return {
    id: ruleSlug(doc),
    uuid,
    title,
    level,
    tags,
    file: doc.file,
    ...(description !== undefined && { description }),
    ...(falsepositives !== undefined && { falsepositives }),
    ...(finding !== undefined && { finding }),
  };
}

function validateLogsource(
  root: YMap,
  log: ProblemLog,
): { value: Logsource; pos: RuleSpec['logsourcePos'] } | undefined {
  const node = required(root, 'logsource', log);
  if (node === undefined) return undefined;
  if (node.kind !== 'map') {
    log.error(
      node.pos,
      `logsource must be a mapping (product, category, service), not ${describeKind(node)}`,
    );
    return undefined;
  }
  const out: { product?: string; category?: string; service?: string } = {};
  const keys: Partial<Record<keyof Logsource, Position>> = {};
  for (const key of ['product', 'category', 'service'] as const) {
    const e = entry(node, key);
    const v = text(e?.value, `logsource ${key}`, log);
    if (v !== undefined) out[key] = v;
    if (e !== undefined) keys[key] = e.keyNode.pos;
  }
  if (out.product === undefined && out.category === undefined && out.service === undefined) {
    log.error(
      entry(root, 'logsource')!.keyNode.pos,
      'logsource must name a product, a category or a service',
    );
    return undefined;
  }
  return { value: out, pos: { ...node.pos, keys } };
}
