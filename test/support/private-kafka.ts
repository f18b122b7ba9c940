/**
 * A private single-node Kafka broker (KRaft, broker + controller) for one test: the jars the local stack
 * downloaded (scripts/stack/up.sh: `$TUXWATCH_STACK_CACHE/kafka-<version>/lib`), the stack's
 * server.properties template and log4j config, its own free ports and its own data directory in a temp dir.
 * It can be stopped (SIGTERM: a controlled shutdown) and started again on the same data, which the shared
 * broker of the other tests must never be.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { freePort } from './free-port';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { REPO } from './cli';

const STACK_SRC = join(REPO, 'scripts', 'stack');

/** Where the stack keeps its downloads (same rules as scripts/stack/lib.sh). */
export function stackCacheDir(): string {
  return (
    process.env.TUXWATCH_STACK_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tuxwatch-stack')
  );
}

/** The broker's jar directory, or undefined when the stack never downloaded them here. */
export function kafkaLibDir(): string | undefined {
  const version = process.env.TUXWATCH_KAFKA_VERSION ?? '4.3.1';
  const dir = join(stackCacheDir(), `kafka-${version}`);
  return existsSync(join(dir, '.complete')) && existsSync(join(dir, 'lib')) ? join(dir, 'lib') : undefined;
}

/** Java for Kafka: KAFKA_JAVA_HOME, else JAVA_HOME, else `java` on PATH (as lib.sh does). */
function kafkaJava(): string {
  const home = process.env.KAFKA_JAVA_HOME ?? process.env.JAVA_HOME;
  if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  return 'java';
}

/** Why a private broker cannot be started here (undefined: it can). */
export function privateKafkaUnavailable(): string | undefined {
  if (!kafkaLibDir()) {
    return `no Kafka jars in ${stackCacheDir()} (run npm run stack:up once to download them)`;
  }
  const java = spawnSync(kafkaJava(), ['-version'], { encoding: 'utf8' });
  if (java.status !== 0) return `no java to run Kafka (${kafkaJava()})`;
  return undefined;
}

export class PrivateKafka {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  private starts = 0;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly controllerPort: number,
    private readonly lib: string,
  ) {}

  /** Formats a fresh data directory on two free ports and starts the broker; resolves once it serves. */
  static async start(): Promise<PrivateKafka> {
    const lib = kafkaLibDir();
    if (!lib) throw new Error(privateKafkaUnavailable());
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-private-kafka-'));
    const port = await freePort();
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();
    const broker = new PrivateKafka(dir, port, controllerPort, lib);
    broker.configure();
    broker.format();
    await broker.launch();
    return broker;
  }

  /** `127.0.0.1:port`, for KAFKA_BROKERS and kafkajs. */
  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The broker's log (stdout/stderr of every start), for failure messages. */
  get log(): string {
    try {
      return readFileSync(join(this.dir, 'broker.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** SIGTERM (controlled shutdown) and wait for the JVM to exit; SIGKILL after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    if (!this.child || !this.running) return;
    const child = this.child;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Starts the stopped broker again on the same data directory and ports. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops the broker and deletes its data. */
  async destroy(): Promise<void> {
    await this.stop(10_000);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get properties(): string {
    return join(this.dir, 'server.properties');
  }

  private configure(): void {
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
    const template = readFileSync(join(STACK_SRC, 'kafka', 'server.properties.template'), 'utf8');
    writeFileSync(
      this.properties,
      template
        .replaceAll('@KAFKA_PORT@', String(this.port))
        .replaceAll('@KAFKA_CONTROLLER_PORT@', String(this.controllerPort))
        .replaceAll('@KAFKA_DATA_DIR@', join(this.dir, 'data')),
    );
  }

  private javaArgs(main: string, heap: string[], ...args: string[]): string[] {
    return [
      ...heap,
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${join(STACK_SRC, 'kafka', 'log4j2.properties')}`,
      `-Dkafka.logs.dir=${join(this.dir, 'logs')}`,
      '-cp',
      `${this.lib}/*`,
      main,
      ...args,
    ];
  }

  /** KRaft storage format with a new cluster id (once, before the first start). */
  private format(): void {
    // a cluster id is a base64url UUID (22 characters); it must not start with '-'
    const clusterId = `A${randomBytes(16).toString('base64url').slice(1)}`;
    const run = spawnSync(
      kafkaJava(),
      this.javaArgs(
        'kafka.tools.StorageTool',
        ['-Xmx256m', '-Dtuxwatch.kafka.log.level=WARN'],
        'format',
        '-t',
        clusterId,
        '-c',
        this.properties,
      ),
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (run.status !== 0) {
      throw new Error(
        `formatting the private Kafka storage failed (${run.status}):\n${run.stdout}\n${run.stderr}`,
      );
    }
  }

  private async launch(): Promise<void> {
    const log = createWriteStream(join(this.dir, 'broker.log'), { flags: 'a' });
    this.starts++;
    log.write(`----- start ${this.starts} -----\n`);
    const child = spawn(
      kafkaJava(),
      this.javaArgs(
        'kafka.Kafka',
        ['-Xms128m', '-Xmx384m', '-XX:+UseG1GC', '-Dtuxwatch.kafka.log.level=WARN'],
        this.properties,
      ),
      { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        log.end();
        resolve(code);
      }),
    );
    await this.waitReady(90_000);
  }

  /** The broker answers metadata and the group coordinator answers (offsets topic loaded). */
  private async waitReady(timeoutMs: number): Promise<void> {
    const kafka = new Kafka({
      clientId: 'private-kafka-ready',
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2_000,
      retry: { retries: 0 },
    });
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      if (!this.running)
        throw new Error(`the private Kafka broker exited during start:\n${this.log.slice(-4000)}`);
      const admin = kafka.admin();
      try {
        await admin.connect();
        await admin.describeCluster();
        await admin.listTopics();
        await admin.fetchOffsets({ groupId: 'private-kafka-ready', topics: [] });
        return;
      } catch (e) {
        last = e;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(
      `the private Kafka broker did not answer within ${timeoutMs} ms (${String(last)}):\n${this.log.slice(-4000)}`,
    );
  }
}
