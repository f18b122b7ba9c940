import type { MutableEvent } from '../../domain/event';
import type { ParseContext, ParseOutcome } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import {
  AuditAssembler,
  DEFAULT_ASSEMBLER_LIMITS,
  type AssemblerLimits,
  type AssembledEvent,
} from './assembler';
import { auditEvents } from './audit-events';
import { parseAuditLine } from './audit-line';
import { ExecMemory } from './exec-memory';

interface Entry<Tag> {
  readonly tag: Tag;
  readonly ctx: ParseContext;
}

/**
 * The audit stage of one stream of records (a scan run, a Kafka partition): each line is parsed, grouped
 * into its event, and when an event is complete it is normalized to events. A line yields the events it
 * completed — often none (its event is still open), sometimes those of earlier lines. `flush` ends the
 * stream; `oldestPending` names the first record still needed, below which a consumer may commit.
 */
export class AuditStream<Tag> {
  private readonly assembler: AuditAssembler<Entry<Tag>>;

  constructor(
    limits: AssemblerLimits = DEFAULT_ASSEMBLER_LIMITS,
    private readonly memory = new ExecMemory(),
  ) {
    this.assembler = new AuditAssembler(limits);
  }

  add(text: string, tag: Tag, ctx: ParseContext): ParseOutcome {
    const line = parseAuditLine(text);
    if (!line.ok) return rejected(line.reason);
    const { record } = line;
    const host = record.node ?? record.relayHost ?? ctx.host ?? 'unknown';
    return parsed(this.normalize(this.assembler.add(record, host, { tag, ctx })));
  }

  /** Every open event, as it is (end of input). */
  flush(): MutableEvent[] {
    return this.normalize(this.assembler.flush());
  }

  oldestPending(): Tag | undefined {
    return this.assembler.oldestPendingTag()?.tag;
  }

  /** events still open */
  get pending(): number {
    return this.assembler.size;
  }

  private normalize(done: readonly AssembledEvent<Entry<Tag>>[]): MutableEvent[] {
    const out: MutableEvent[] = [];
    for (const event of done)
      out.push(...auditEvents(event.host, event.records, event.tags[0]!.ctx, this.memory));
    return out;
  }
}
