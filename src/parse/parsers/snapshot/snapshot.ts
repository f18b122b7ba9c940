import type { ParseContext, Parser } from '../../../domain/parser';
import { parsed, rejected } from '../../../domain/parser';
import { SNAPSHOT_RECORD_TYPE } from '../../../domain/snapshot-names';
import type { FactName, SnapshotRecord } from '../../../domain/snapshot-record';
import { looksLikeJsonObject } from '../../json-record';
import { baseEvent } from '../event-base';
import { guarded, parseBoundedJson } from '../record-limits';
import { account, group, groupMember, lastlog, login } from './auth-facts';
import { checkSummary, timeSync } from './collector-facts';
import type { FactMapper, FactMappers } from './fact-event';
import * as files from './file-facts';
import { SNAPSHOT_FIELDS } from './fields';
import { processFact, socket } from './process-facts';

const MAPPERS: FactMappers = {
  account,
  group,
  'group-member': groupMember,
  'sudo-rule': files.sudoRule,
  'authorized-key': files.authorizedKey,
  'inittab-entry': files.inittabEntry,
  'hosts-entry': files.hostsEntry,
  'rc-local': files.rcLocal,
  'systemd-unit': files.systemdUnit,
  'cron-entry': files.cronEntry,
  'cron-script': files.cronScript,
  'ld-preload': files.ldPreload,
  'shell-profile': files.shellProfile,
  'suid-file': files.suidFile,
  'world-writable': files.worldWritable,
  'hidden-directory': files.hiddenDirectory,
  'dev-file': files.devFile,
  'recent-binary': files.recentBinary,
  'timestomp-hint': files.timestompHint,
  'unowned-binary': files.unownedBinary,
  'package-verify': files.packageVerify,
  process: processFact,
  socket,
  login,
  lastlog,
  'time-sync': timeSync,
  check: checkSummary,
};

const SNIFF = new RegExp(`"type"\\s*:\\s*"${SNAPSHOT_RECORD_TYPE}"`);

/**
 * The records of `tuxwatch collect` (src/domain/snapshot-record.ts): one fact per record, one event per
 * fact. The record is checked against the schema whole (a record from Kafka is not trusted to be the
 * collector's), its host is the record's own, its time the run's start — or the fact's own time for
 * logins. Every event carries the run, check and fact (`tuxwatch.snapshot.*`) and, for facts the rules
 * judge, the key the per-host baseline compares runs by (`tuxwatch.snapshot.key`).
 */
export const snapshotParser: Parser = {
  kind: 'snapshot',
  fields: [SNAPSHOT_FIELDS],
  sniff: (text) => looksLikeJsonObject(text) && SNIFF.test(text),
  parse: guarded(parseSnapshot),
};

type SchemaModule = typeof import('../../../domain/snapshot-record');
let schema: SchemaModule['SnapshotRecord'] | undefined;

/**
 * The record schema, loaded at the first record that needs it: every thread of every scan loads this
 * parser, zod and the schema's construction took 37 ms of each one's start-up, and most scans read no
 * snapshot. (Under vitest, a test set-up file lets `require` load TypeScript.)
 */
function recordSchema(): SchemaModule['SnapshotRecord'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (schema ??= (require('../../../domain/snapshot-record') as SchemaModule).SnapshotRecord);
}

function parseSnapshot(text: string, ctx: ParseContext) {
  const json = parseBoundedJson(text);
  if (!json.ok) return rejected(json.reason);
  const checked = recordSchema().safeParse(json.value);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return rejected(`not a tuxwatch collect record: ${where}${issue.message}`);
  }
  const record = checked.data as SnapshotRecord;
  const mapper = MAPPERS[record.fact] as FactMapper<FactName>;
  const fact = mapper(record.data, record.at, record.host);
  const event = baseEvent(
    {
      timestamp: new Date(fact.timestamp ?? record.at).toISOString(),
      original: text,
      kind: 'snapshot',
      dataset: fact.dataset,
      host: record.host,
    },
    ctx,
  );
  event['event.action'] = record.fact;
  Object.assign(event, fact.fields);
  event['tuxwatch.snapshot.run'] = record.run;
  event['tuxwatch.snapshot.check'] = record.check;
  event['tuxwatch.snapshot.fact'] = record.fact;
  if (fact.key !== undefined) event['tuxwatch.snapshot.key'] = fact.key;
  return parsed([event]);
}
