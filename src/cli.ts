#!/usr/bin/env node
import 'reflect-metadata';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseInstant, parseLevel } from './alert/alert-filter';
import { parseDuration } from './alert/duration';
import { LEVELS, type Level } from './domain/rule';
import { parseRecordLimit, RECORD_LIMIT_RULE } from './config/record-limit';
import { INPUT_KINDS, isInputKind, type InputKind } from './domain/input-kind';
import { CHECK_NAMES, type CheckName } from './domain/snapshot-names';
import { errnoReason } from './ingest/files/input-walk';
import { isValidZone } from './normalize/time';
import { terminalText } from './observability/terminal-text';

/** The bundled rules, wherever the package is installed. */
export const BUNDLED_RULES = resolve(__dirname, '..', 'detections');

const zone = (v: string): string => {
  if (!isValidZone(v)) throw new InvalidArgumentError('not an IANA time zone (e.g. Europe/Berlin, UTC)');
  return v;
};
const year = (v: string): number => {
  if (!/^\d{4}$/.test(v)) throw new InvalidArgumentError('a four-digit year is expected');
  return Number(v);
};
const kind = (v: string): InputKind | 'auto' => {
  if (v !== 'auto' && !isInputKind(v))
    throw new InvalidArgumentError(`one of auto, ${INPUT_KINDS.join(', ')}`);
  return v as InputKind | 'auto';
};
const collect = (v: string, all: string[]): string[] => [...all, v];
const level = (v: string): Level => {
  const l = parseLevel(v);
  if (l === undefined) throw new InvalidArgumentError(`one of ${LEVELS.join(', ')}`);
  return l;
};
const instant = (v: string): number => {
  const t = parseInstant(v, Date.now());
  if (t === undefined)
    throw new InvalidArgumentError(
      'ISO 8601 (2026-11-26, 2026-11-26T08:00:00Z) or a time ago (90m, 36h, 7d)',
    );
  return t;
};
const recordLimit = (v: string): number => {
  const n = parseRecordLimit(v);
  if (n === undefined) throw new InvalidArgumentError(RECORD_LIMIT_RULE);
  return n;
};
const threads = (v: string): number => {
  if (!/^\d{1,2}$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('a whole number from 1 to 99');
  return Number(v);
};
const checks = (v: string, all: CheckName[]): CheckName[] => {
  const names = v.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(CHECK_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new InvalidArgumentError(`checks are ${CHECK_NAMES.join(', ')}`);
  return [...all, ...(names as CheckName[])];
};
const positive = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return Number(v);
};
const duration = (v: string): number => {
  const ms = parseDuration(v);
  if (ms === undefined) throw new InvalidArgumentError('a duration such as 90s, 10m, 1h, or 0');
  return ms;
};

function program(): Command {
  const cli = new Command('tuxwatch')
    .description('Detection for Linux incident response: evidence in, Sigma rules, alerts out')
    .showHelpAfterError()
    .exitOverride();

  cli
    .command('scan')
    .description(
      'read records from files, directories or stdin (-), run the detection pipeline, print alerts',
    )
    .argument('[paths...]', 'files, directories, or - for stdin')
    .addOption(
      new Option('--source <kind>', 'input kind, or auto to sniff each record')
        .argParser(kind)
        .default('auto'),
    )
    .option('--host <name>', 'host.name for records that carry none')
    .option('--timezone <iana>', 'zone of timestamps that carry no offset', zone, 'UTC')
    .option('--year <yyyy>', 'year for timestamps that carry none (default: inferred)', year)
    .option('--rules <path>', 'rule file or directory (repeatable; replaces the bundled rules)', collect, [])
    .addOption(
      new Option('--format <format>', 'output format (default: table on a terminal, else ndjson)').choices([
        'ndjson',
        'table',
        'csv',
      ]),
    )
    .option('--report <file.html>', 'also write a self-contained HTML report (summary, chart, alert table)')
    .option('--min-severity <level>', 'only alerts at least this severe (low, medium, high, critical)', level)
    .option('--since <time>', 'only alerts at or after this event time: ISO 8601, or 90m/36h/7d ago', instant)
    .option(
      '--until <time>',
      'only alerts at or before this event time: ISO 8601, or 90m/36h/7d ago',
      instant,
    )
    .option('--rule <id>', 'only alerts of this rule id (repeatable)', collect, [])
    .option('--no-color', 'no colours in the table and summary (also: NO_COLOR)')
    .option(
      '--threads <n>',
      'threads: 1 (the default) does all on the main thread; N > 1 parses on N - 1 workers beside it (alerts only: --emit events runs on one)',
      threads,
    )

    .option('--dead-letter <file>', 'write records that could not be parsed to FILE as NDJSON')
    .addOption(
      new Option('--emit <what>', 'print alerts or every normalized event')
        .choices(['alerts', 'events'])
        .default('alerts'),
    )
    .option(
      '--max-record-bytes <n>',
      'records longer than this many bytes are dead-lettered',
      recordLimit,
      1024 * 1024,
    )
    .option(
      '--suppress-window <duration>',
      'fold repeats of a finding inside this window (10m, 1h, 0 = off)',
      duration,
      600_000,
    )
    .option('--expected-listeners <file>', 'YAML table of expected listeners, merged over the shipped one')
    .option(
      '--live',
      'sweep this host read-only (every check of tuxwatch collect) and scan that instead of files',
    )
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      if (opts.live && paths.length > 0)
        throw new InvalidArgumentError('--live scans this host: give no paths');
      const { scan } = await import('./cli/scan.command');
      const live = opts.live ? await liveSweep(opts.host as string | undefined) : undefined;
      const summary = await scan(paths, {
        ...(live && { live }),
        source: opts.source as InputKind | 'auto',
        host: opts.host as string | undefined,
        timezone: opts.timezone as string,
        year: opts.year as number | undefined,
        rules: (opts.rules as string[]).length ? (opts.rules as string[]) : [BUNDLED_RULES],
        format:
          (opts.format as 'ndjson' | 'table' | 'csv' | undefined) ??
          (process.stdout.isTTY ? 'table' : 'ndjson'),
        report: opts.report as string | undefined,
        filter: {
          minSeverity: opts.minSeverity as Level | undefined,
          since: opts.since as number | undefined,
          until: opts.until as number | undefined,
          rules: new Set(opts.rule as string[]),
        },
        noColor: opts.color === false,
        threads: opts.threads as number | undefined,
        deadLetter: opts.deadLetter as string | undefined,
        emit: opts.emit as 'alerts' | 'events',
        maxRecordBytes: opts.maxRecordBytes as number,
        suppressWindowMs: opts.suppressWindow as number,
        expectedListeners: opts.expectedListeners as string | undefined,
      });
      // the run completed, but some input could not be read (CONTRACT §1: 2 on unreadable inputs)
      if (summary.unreadable > 0) process.exitCode = 2;
    });

  cli
    .command('collect')
    .description(
      `sweep this host read-only (checks: ${CHECK_NAMES.join(', ')}) and write one NDJSON evidence record per fact`,
    )
    .option('--check <names>', 'run only these checks (repeatable, or comma-separated)', checks, [])
    .option('--skip <names>', 'run every check but these (repeatable, or comma-separated)', checks, [])
    .option('--out <file>', 'write the records to a new FILE (mode 0600) instead of stdout')
    .option('--kafka', 'send the records to Kafka (KAFKA_BROKERS and the KAFKA_SSL/SASL variables of serve)')
    .option('--topic <name>', 'topic for --kafka', 'linux.snapshot')
    .option('--host <name>', 'host.name of the records (and the Kafka key)', undefined)
    .option('--timeout <seconds>', 'time limit of each check', positive, 120)
    .option(
      '--recent-days <n>',
      'system binaries changed this many days before the run are listed',
      positive,
      7,
    )
    .action(async (opts: Record<string, unknown>) => {
      if (opts.kafka && opts.out !== undefined)
        throw new InvalidArgumentError('--out and --kafka exclude each other');
      const only = opts.check as CheckName[];
      const skip = opts.skip as CheckName[];
      const { runCollect } = await import('./cli/collect.command');
      process.exitCode = await runCollect({
        checks: (only.length > 0 ? only : CHECK_NAMES).filter((c) => !skip.includes(c)),
        host: opts.host as string | undefined,
        out: opts.out as string | undefined,
        kafka: opts.kafka ? (opts.topic as string) : undefined,
        timeoutMs: (opts.timeout as number) * 1000,
        recentDays: opts.recentDays as number,
      });
    });

  cli
    .command('serve')
    .description('run the service: Kafka in, Elasticsearch out (configured by environment variables)')
    .action(async () => {
      const { serve } = await import('./serve/serve.command');
      await serve();
    });

  const rules = cli.command('rules').description('work with detection rules');
  rules
    .command('validate')
    .description('load rules and print every problem as file:line:col: message')
    .argument('[paths...]', 'rule files or directories (default: the bundled rules)')
    .action(async (paths: string[]) => {
      const { validateRules } = await import('./cli/rules.command');
      process.exitCode = await validateRules(paths.length ? paths : [BUNDLED_RULES]);
    });
  rules
    .command('test')
    .description("run each rule's own test cases")
    .argument('[paths...]', 'rule files or directories (default: the bundled rules)')
    .action(async (paths: string[]) => {
      const { testRules } = await import('./cli/rules.command');
      process.exitCode = await testRules(paths.length ? paths : [BUNDLED_RULES]);
    });
  return cli;
}

/** `scan --live`: collect's records of this host, each check's outcome on stderr as it ends. */
async function liveSweep(host: string | undefined) {
  const [{ liveRecords }, { hostname }] = await Promise.all([
    import('./collect/live-records'),
    import('node:os'),
  ]);
  return liveRecords({ host: host ?? hostname() }, (line) =>
    process.stderr.write(`tuxwatch scan --live: ${line}\n`),
  );
}

/** Exit 0 when the run completed, 2 on bad usage or unreadable rules/inputs (CONTRACT §1). */
async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    // not every error's code is a string (kafkajs' protocol errors carry numbers)
    const err = e as Error & { code?: unknown };
    const code = typeof err.code === 'string' ? err.code : '';
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return;
    if (code.startsWith('commander.')) {
      process.exitCode = 2;
      return;
    }
    // messages name inputs and rule files, whose names are anyone's
    process.stderr.write(`tuxwatch: ${terminalText(err.message)}\n`);
    process.exitCode = 2;
  }
}

// `tuxwatch scan … | head` closes stdout early: that ends the run quietly, as for any Unix filter. Any other
// failure to write (a full disk: ENOSPC) is said in a line, not as a stack trace, and the run fails.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`tuxwatch: cannot write to stdout: ${terminalText(errnoReason(e))}\n`);
  process.exit(1);
});

void main(process.argv);
