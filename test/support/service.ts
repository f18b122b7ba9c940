import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, REPO } from './cli';

/** A `tuxwatch serve` child process, as operators run it, with its output kept for failure messages. */
export class ServiceProcess {
  private readonly child: ChildProcess;
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: Record<string, string>) {
    // host state is per group: tests running side by side must not restore each other's hosts
    const stateTopic = stateTopicOf(env['KAFKA_GROUP_ID'] ?? 'tuxwatch');
    this.child = spawn(process.execPath, [CLI, 'serve'], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'info',
        TUXWATCH_HTTP_PORT: '0',
        KAFKA_STATE_TOPIC: stateTopic,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get logs(): string {
    return this.output;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Stops the process for good (test clean-up): TERM, then KILL after a grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export function startService(env: Record<string, string>): ServiceProcess {
  return new ServiceProcess(env);
}

/** The health port a service logged at start ("healthPort":N); it listens on port 0, so this is how to find it. */
export function healthPort(logs: string): number {
  const m = /"healthPort":(\d+)/.exec(logs);
  if (!m) throw new Error(`no health port in the service log:\n${tail(logs)}`);
  return Number(m[1]);
}

/** The last lines of a log, for failure messages. */
export function tail(logs: string, lines = 60): string {
  return logs.split('\n').slice(-lines).join('\n');
}

/** The state topic a service of `groupId` keeps its hosts' state on (per group, see ServiceProcess). */
export function stateTopicOf(groupId: string): string {
  return `${groupId}.state`;
}
