import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// scripts/stack/up.sh starts Kafka and Elasticsearch as `( cd … && exec setsid java … ) &`: until the exec, the pid
// it records is a fork of up.sh whose command line lacks the service's marker. A CI run checked that pid in that
// window and reported "elasticsearch exited during startup" for a node that was starting. await_exec closes it.
const LIB = resolve(__dirname, '../../../scripts/stack/lib.sh');

/**
 * Runs `body` in `bash -c` with lib.sh sourced and `$marker` set. The marker is assembled at run time: written out
 * whole, it would stand in the fork's own command line (bash -c SCRIPT), which up.sh's forks do not have.
 */
function bash(body: string): { stdout: string; status: number | null } {
  const script = `set -u; source ${JSON.stringify(LIB)}; marker=TuxwatchAwait; marker+=ExecMarker\n${body}`;
  const out = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
  return { stdout: out.stdout.trim(), status: out.status };
}

describe('await_exec (scripts/stack/lib.sh)', () => {
  it('waits for a started service to exec instead of taking the fork for an exit', () => {
    const { stdout, status } = bash(`
      (sleep 0.6; exec -a "$marker" sleep 5) &
      child=$!
      if pid_alive "$child" "$marker"; then before=alive; else before=absent; fi
      await_exec "$child" "$marker"; rc=$?
      if pid_alive "$child" "$marker"; then after=alive; else after=absent; fi
      kill "$child"
      echo "$before $rc $after"
    `);
    expect(status).toBe(0);
    // before the fix the readiness loop saw "absent" here and failed the start
    expect(stdout).toBe('absent 0 alive');
  });

  it('reports a service that is gone before its exec, without waiting out the 30 s', () => {
    const started = Date.now();
    const { stdout, status } = bash(`
      (sleep 0.2; exit 3) &
      child=$!
      await_exec "$child" "$marker"; echo "rc=$?"
    `);
    expect(status).toBe(0);
    expect(stdout).toBe('rc=1');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
