import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import {
  AccountEnricher,
  createEnrichers,
  FileModeEnricher,
  InMemoryHostState,
  ListenerEnricher,
  ProcessLineageEnricher,
  SnapshotBaselineEnricher,
} from '../../../src/enrich';
import { parse, readCorpus } from './evidence';

const run = (enrichers: ReturnType<typeof createEnrichers>, e: SiemEvent): SiemEvent =>
  enrichers.reduce((acc, x) => x.enrich(acc), e);

describe('createEnrichers', () => {
  it('with state: snapshot baselines, process lineage, accounts, then file modes, then listeners', () => {
    const enrichers = createEnrichers({ state: new InMemoryHostState() });
    expect(enrichers.map((e) => e.constructor)).toEqual([
      SnapshotBaselineEnricher,
      ProcessLineageEnricher,
      AccountEnricher,
      FileModeEnricher,
      ListenerEnricher,
    ]);
  });

  it('without state: only the facts that need no memory', () => {
    const enrichers = createEnrichers();
    expect(enrichers.map((e) => e.constructor)).toEqual([FileModeEnricher, ListenerEnricher]);
    const [smbd] = parse(readCorpus('web01', 'ss-tlnp.txt'), { kind: 'ss', host: 'web01' });
    expect(run(enrichers, smbd!)).toMatchObject({
      'tuxwatch.listener.backdoor_port': true,
      'tuxwatch.listener.expected': false,
    });
  });

  it('a site file is merged over the shipped table', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tuxwatch-site-')), 'listeners.yml');
    writeFileSync(file, 'programs:\n  smbd: [139, 445, 8081]\n');
    const enrichers = createEnrichers({ expectedListenersFile: file });
    const events = parse(readCorpus('web01', 'ss-tlnp.txt'), { kind: 'ss', host: 'web01' });
    const smbd8081 = events.find((e) => e['server.port'] === 8081)!;
    expect(run(enrichers, smbd8081)['tuxwatch.listener.expected']).toBe(true);
  });
});
