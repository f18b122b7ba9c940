import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineMetrics } from '../../../src/observability/metrics';

describe('metrics', () => {
  it('every metric tuxwatch defines is named in the README (without its tuxwatch_ prefix)', async () => {
    const readme = readFileSync(resolve(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const ours = (await new PipelineMetrics().registry.getMetricsAsJSON())
      .map((m) => m.name)
      .filter((n) => n.startsWith('tuxwatch_') && !/^tuxwatch_(process|nodejs)_/.test(n));
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.filter((n) => !readme.includes(`\`${n.slice('tuxwatch_'.length)}\``))).toEqual([]);
  });
});
