import type { Message, Producer } from 'kafkajs';
import type { Logger } from '../../observability/logger';
import {
  backoffMs,
  FatalSinkError,
  KeepAliveError,
  pauseAlive,
  SinkStoppedError,
  whileAlive,
  type RetryControl,
} from '../../retry/retry-control';

/**
 * Writes a chunk's messages to a topic the chunk must be acknowledged by before its commit (the
 * dead-letter topic, the host state topic), with acks from all in-sync replicas.
 *
 * A topic that cannot take them for now (missing, no leader, too few in-sync replicas, broker down or slow)
 * is waited out like an Elasticsearch outage: retried with backoff for as long as it takes, the consumer's
 * session kept alive, the wait given up (SinkStoppedError) on a rebalance or stop. A write the topic will
 * never take (not authorized, a message larger than it accepts) is fatal: the process stops with nothing
 * committed past it, rather than losing the record. Give it a producer without retries of its own
 * (`retry: { retries: 0 }`): kafkajs' retry loop would keep an outage from the log and from readiness for
 * tens of seconds, and go on sending after the wait was given up.
 */
export class TopicWriter {
  /** set from a failed write until the next one that succeeds */
  private outage?: { readonly since: number; retries: number };

  /** @param role how the log names the topic ("dead-letter topic") */
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly role: string,
    private readonly logger: Logger,
    private readonly onRetry: () => void = () => undefined,
  ) {}

  /** false while the topic cannot be written (readiness reports it) */
  get writable(): boolean {
    return this.outage === undefined;
  }

  /**
   * @param shrink for a message the topic refuses as too large: a smaller stand-in to send instead, or
   *   undefined when there is none (then the refusal is fatal, as for any write the topic will never take)
   */
  async send(
    messages: readonly Message[],
    control: RetryControl,
    shrink?: (message: Message) => Message | undefined,
  ): Promise<void> {
    if (messages.length === 0) return;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await pauseAlive(backoffMs(attempt), control, `the ${this.role} was unavailable`);
      try {
        await whileAlive(
          control,
          () => this.producer.send({ topic: this.topic, acks: -1, messages: [...messages] }),
          `a write to the ${this.role}`,
        );
        this.available();
        return;
      } catch (e) {
        if (e instanceof SinkStoppedError) throw e;
        if (e instanceof KeepAliveError) throw e.cause;
        const failure = sendFailure(e);
        if (failure.tooLarge && messages.length > 1) {
          // together they exceed what the topic takes in one batch; alone each may fit
          for (const message of messages) await this.send([message], control, shrink);
          return;
        }
        const smaller = failure.tooLarge ? shrink?.(messages[0]!) : undefined;
        if (smaller !== undefined) {
          this.logger.warn(
            { topic: this.topic, reason: failure.reason, bytes: smaller.value?.length ?? 0 },
            `a message is larger than the ${this.role} takes; writing it cut`,
          );
          return this.send([smaller], control, shrink);
        }
        this.unavailable(failure.reason);
        if (!failure.retriable) {
          throw new FatalSinkError(
            `the ${this.role} ${this.topic} cannot be written (${failure.reason}); stopping with nothing committed past it`,
          );
        }
        this.onRetry();
      }
    }
  }

  /** Logs the start of an outage once, however many partitions wait on it and however long it lasts. */
  private unavailable(reason: string): void {
    if (this.outage) {
      this.outage.retries++;
      return;
    }
    this.outage = { since: Date.now(), retries: 0 };
    this.logger.warn(
      { topic: this.topic, reason },
      `${this.role} cannot be written; holding the partition, nothing committed past it, retrying`,
    );
  }

  private available(): void {
    if (!this.outage) return;
    const { since, retries } = this.outage;
    this.outage = undefined;
    this.logger.info(
      { topic: this.topic, retries, unavailableMs: Date.now() - since },
      `${this.role} writable again`,
    );
  }
}

interface SendFailure {
  readonly retriable: boolean;
  readonly tooLarge: boolean;
  /** error type and message, for the log: kafkajs messages carry no credentials */
  readonly reason: string;
}

/**
 * What a failed kafkajs send means. kafkajs wraps the broker's error (KafkaJSNumberOfRetriesExceeded,
 * KafkaJSNonRetriableError); the innermost one says whether it can pass: protocol errors carry the broker's
 * `retriable` flag (UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT
 * are; TOPIC_AUTHORIZATION_FAILED, MESSAGE_TOO_LARGE are not), connection, timeout and metadata errors are
 * retriable, SASL failures are not. Anything else (a bug) is not retried: it would never pass either.
 */
export function sendFailure(error: unknown): SendFailure {
  let root = error;
  while (root instanceof Error && root.cause instanceof Error && root.cause !== root) root = root.cause;
  const e = root as { name?: string; type?: string; message?: string; retriable?: boolean };
  const type = e.type ?? e.name ?? 'Error';
  return {
    retriable: e.retriable === true || e.name === 'KafkaJSLockTimeout',
    tooLarge: e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE',
    reason: `${type}: ${e.message ?? String(root)}`.slice(0, 512),
  };
}
