import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Admin } from 'kafkajs';

export interface BenchServiceOptions {
  readonly repo: string;
  readonly brokers: readonly string[];
  readonly elasticsearchUrl: string;
  readonly topic: string;
  readonly groupId: string;
  readonly alertIndexPrefix: string;
}

/**
 * `tuxwatch serve` as a child process, as it runs in production (built `dist/cli.js`, its own process and
 * heap), on the bench's topic and alert indices. `BENCH_NODE_ARGS` adds node flags (`--cpu-prof`); the
 * tuning variables of the environment (`TUXWATCH_BATCH_SIZE`, …) are passed on.
 */
export class BenchService {
  private readonly child: ChildProcess;
  private exit?: string;
  /** the last lines the service printed, for the error when it dies */
  private tail = '';

  constructor(o: BenchServiceOptions) {
    const tuning = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => k.startsWith('TUXWATCH_') && !k.startsWith('TUXWATCH_TEST'),
      ),
    );
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    this.child = spawn(process.execPath, [...nodeArgs, resolve(o.repo, 'dist', 'cli.js'), 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        ...tuning,
        KAFKA_BROKERS: o.brokers.join(','),
        KAFKA_GROUP_ID: o.groupId,
        KAFKA_TOPICS: o.topic,
        KAFKA_DEAD_LETTER_TOPIC: `${o.topic}-dead`,
        KAFKA_STATE_TOPIC: `${o.topic}-state`,
        ELASTICSEARCH_URL: o.elasticsearchUrl,
        TUXWATCH_ALERT_INDEX_PREFIX: o.alertIndexPrefix,
        TUXWATCH_HTTP_PORT: '0',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      },
      // the service reads detections/ relative to its working directory
      cwd: o.repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-4000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.once('exit', (code, signal) => (this.exit = `exited (${signal ?? code})`));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Throws when the service is gone: a bench must not wait for a dead process. */
  assertRunning(): void {
    if (this.exit) throw new Error(`tuxwatch serve ${this.exit}; its last output:\n${this.tail}`);
  }

  /** Resident memory in MB, from /proc (0 when the process is gone). */
  rssMb(): number {
    if (this.child.pid === undefined || this.exit) return 0;
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'))?.[1];
      return kb ? Number(kb) / 1024 : 0;
    } catch {
      return 0;
    }
  }

  async stop(): Promise<void> {
    if (this.exit) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Records committed by a group on a topic (the sum over its partitions). */
export async function committedRecords(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (entry?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
}

/** The bench topic and the ones the service makes beside it (dead letters, state snapshots). */
export const benchTopics = (topic: string): string[] => [topic, `${topic}-dead`, `${topic}-state`];

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
