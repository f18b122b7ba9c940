import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertIndexTemplate } from '../../../src/alert/sinks/alert-index-template';
import {
  alertFieldCatalog,
  checkSavedObjects,
  kqlFields,
  kqlSyntaxProblems,
  parseSavedObjects,
  requiredAlertFields,
  type SavedObject,
} from './saved-objects-check';

const ROOT = join(__dirname, '..', '..', '..');
const NDJSON_PATH = join(ROOT, 'kibana', 'tuxwatch-saved-objects.ndjson');
const SETUP_SH = join(ROOT, 'kibana', 'setup.sh');
const TEXT = readFileSync(NDJSON_PATH, 'utf8');
const { objects } = parseSavedObjects(TEXT);
const catalog = alertFieldCatalog();

const find = (type: string, id: string): SavedObject => {
  const o = objects.find((x) => x.type === type && x.id === id);
  if (!o) throw new Error(`${type}:${id} not in the file`);
  return o;
};
const searchSource = (o: SavedObject): { query: { query: string; language: string }; indexRefName: string } =>
  JSON.parse((o.attributes['kibanaSavedObjectMeta'] as { searchSourceJSON: string }).searchSourceJSON);

interface Panel {
  type: string;
  title?: string;
  panelIndex: string;
  panelRefName?: string;
  embeddableConfig: { attributes?: LensAttributes };
}
interface LensColumn {
  operationType: string;
  sourceField?: string;
}
interface LensAttributes {
  visualizationType: string;
  state: {
    datasourceStates: { formBased: { layers: Record<string, { columns: Record<string, LensColumn> }> } };
    visualization: { layers: { seriesType: string; xAccessor?: string; splitAccessor?: string }[] };
  };
}
const panelsOf = (o: SavedObject): Panel[] => JSON.parse(o.attributes['panelsJSON'] as string) as Panel[];

/** The file with one object changed (deep copy); `edit` may also rewrite the dashboard's panels. */
function mutate(type: string, id: string, edit: (o: SavedObject, panels: Panel[]) => void): string {
  const copy = parseSavedObjects(TEXT).objects;
  const o = copy.find((x) => x.type === type && x.id === id)!;
  const panels = type === 'dashboard' ? panelsOf(o) : [];
  edit(o, panels);
  if (type === 'dashboard') o.attributes['panelsJSON'] = JSON.stringify(panels);
  return copy.map((x) => JSON.stringify(x)).join('\n') + '\n';
}
const setSearchQuery = (o: SavedObject, query: string) => {
  const source = searchSource(o);
  source.query.query = query;
  (o.attributes['kibanaSavedObjectMeta'] as { searchSourceJSON: string }).searchSourceJSON =
    JSON.stringify(source);
};
const lensPanel = (panels: Panel[], title: string): LensAttributes =>
  panels.find((p) => p.title === title)!.embeddableConfig.attributes!;
const firstLayer = (a: LensAttributes) => Object.values(a.state.datasourceStates.formBased.layers)[0]!;
const columnOn = (a: LensAttributes, op: string): LensColumn =>
  Object.values(firstLayer(a).columns).find((c) => c.operationType === op)!;

describe('kibana/tuxwatch-saved-objects.ndjson: structure', () => {
  it('is sound: every line parses, required keys per type, unique ids, every reference resolves, every field exists', () => {
    expect(checkSavedObjects(TEXT, catalog)).toEqual([]);
  });

  it('holds the two data views, the two saved searches and the dashboard, nothing else', () => {
    expect(objects.map((o) => `${o.type}:${o.id}`).sort()).toEqual([
      'dashboard:tuxwatch-overview',
      'index-pattern:tuxwatch-alerts',
      'index-pattern:tuxwatch-alerts-detected',
      'search:tuxwatch-alerts-to-triage',
      'search:tuxwatch-critical-alerts',
    ]);
  });

  it('every object carries what a Kibana 9 export carries: type, id, attributes, references, managed, migration versions', () => {
    for (const o of objects)
      expect(Object.keys(o).sort(), `${o.type}:${o.id}`).toEqual([
        'attributes',
        'coreMigrationVersion',
        'id',
        'managed',
        'references',
        'type',
        'typeMigrationVersion',
      ]);
  });
});

describe('kibana/tuxwatch-saved-objects.ndjson: content', () => {
  it('the data views are tuxwatch-alerts-*: by event time (@timestamp) and by detection time (event.created)', () => {
    const byEvent = find('index-pattern', 'tuxwatch-alerts');
    const byDetection = find('index-pattern', 'tuxwatch-alerts-detected');
    expect(byEvent.attributes).toMatchObject({
      title: 'tuxwatch-alerts-*',
      name: 'tuxwatch alerts',
      timeFieldName: '@timestamp',
    });
    expect(byDetection.attributes).toMatchObject({
      title: 'tuxwatch-alerts-*',
      name: 'tuxwatch alerts (by detection time)',
      timeFieldName: 'event.created',
    });
    // the same pattern the service writes and the index template covers
    for (const dv of [byEvent, byDetection]) {
      expect((alertIndexTemplate() as { index_patterns: string[] }).index_patterns).toEqual([
        dv.attributes['title'],
      ]);
      // they load before the first alert index exists (the service also creates the month's index at start)
      expect(dv.attributes['allowNoIndex']).toBe(true);
    }
  });

  it('"tuxwatch — alerts to triage": the columns a responder scans, newest first, on the data view', () => {
    const s = find('search', 'tuxwatch-alerts-to-triage');
    expect(s.attributes['title']).toBe('tuxwatch — alerts to triage');
    expect(s.attributes['columns']).toEqual(
      expect.arrayContaining([
        '@timestamp',
        'tuxwatch.severity',
        'rule.name',
        'host.name',
        'user.name',
        'user.target.name',
        'file.path',
        'process.name',
        'server.port',
        'destination.port',
      ]),
    );
    expect(s.attributes['sort']).toEqual([['@timestamp', 'desc']]);
    const source = searchSource(s);
    expect(s.references).toContainEqual({
      type: 'index-pattern',
      id: 'tuxwatch-alerts',
      name: source.indexRefName,
    });
    expect(source.query).toEqual({ query: 'not tuxwatch.severity : "informational"', language: 'kuery' });
  });

  it('"tuxwatch — latest critical alerts" is filtered on tuxwatch.severity : "critical", latest raised first', () => {
    const s = find('search', 'tuxwatch-critical-alerts');
    expect(searchSource(s).query).toEqual({ query: 'tuxwatch.severity : "critical"', language: 'kuery' });
    expect(s.attributes['sort']).toEqual([['event.created', 'desc']]);
    expect(s.attributes['columns']).toEqual(expect.arrayContaining(['event.created', '@timestamp']));
    // on the detection-time data view: in the dashboard, replayed old evidence is in the time range too
    expect(s.references).toContainEqual({
      type: 'index-pattern',
      id: 'tuxwatch-alerts-detected',
      name: searchSource(s).indexRefName,
    });
  });

  it('"tuxwatch — overview": over time by rule and by severity, top hosts, top rules, latest critical alerts', () => {
    const d = find('dashboard', 'tuxwatch-overview');
    expect(d.attributes['title']).toBe('tuxwatch — overview');
    const panels = panelsOf(d);
    expect(panels.map((p) => p.title)).toEqual([
      'Alerts raised over time by rule',
      'Alerts raised over time by severity',
      'Top hosts',
      'Top rules',
      'Latest critical alerts',
    ]);
    // the time range and the histograms are on when tuxwatch raised each alert, not on the evidence's own
    // time: a dashboard on event time is empty for evidence replayed from last month
    const split = (title: string) => {
      const a = lensPanel(panels, title);
      expect(columnOn(a, 'date_histogram').sourceField).toBe('event.created');
      expect(a.state.visualization.layers[0]!.splitAccessor).toBeDefined();
      return columnOn(a, 'terms').sourceField;
    };
    expect(split('Alerts raised over time by rule')).toBe('rule.name');
    expect(split('Alerts raised over time by severity')).toBe('tuxwatch.severity');
    for (const r of d.references.filter((r) => r.type === 'index-pattern'))
      expect(r.id).toBe('tuxwatch-alerts-detected');
    expect(columnOn(lensPanel(panels, 'Top hosts'), 'terms').sourceField).toBe('host.name');
    expect(columnOn(lensPanel(panels, 'Top rules'), 'terms').sourceField).toBe('rule.name');
    const critical = panels.find((p) => p.title === 'Latest critical alerts')!;
    expect(critical.type).toBe('search');
    expect(d.references).toContainEqual({
      type: 'search',
      id: 'tuxwatch-critical-alerts',
      name: `${critical.panelIndex}:${critical.panelRefName}`,
    });
  });
});

describe('the field catalog the checks use', () => {
  it('holds the template fields with their types, and the dynamic-only alert fields', () => {
    expect(catalog.get('@timestamp')).toMatchObject({ type: 'date', aggregatable: true, from: 'template' });
    expect(catalog.get('rule.name')).toMatchObject({ type: 'keyword', aggregatable: true });
    expect(catalog.get('server.port')).toMatchObject({ type: 'long' });
    expect(catalog.get('source.ip')).toMatchObject({ type: 'ip' });
    expect(catalog.get('event.original')).toMatchObject({ searchable: false, aggregatable: false });
    expect(catalog.get('rule.description')).toMatchObject({ type: 'text', aggregatable: false });
    expect(catalog.get('network.transport')).toMatchObject({ type: 'keyword', from: 'dynamic template' });
    expect(catalog.has('user')).toBe(false);
    expect(catalog.has('no.such.field')).toBe(false);
  });

  it('the required alert fields are read off a real alert', () => {
    expect(requiredAlertFields().sort()).toEqual(
      [
        '@timestamp',
        'event.created',
        'event.kind',
        'event.original',
        'event.severity',
        'host.name',
        'rule.id',
        'rule.name',
        'rule.uuid',
        'tuxwatch.severity',
      ].sort(),
    );
  });
});

describe('KQL plausibility', () => {
  it('accepts the queries of the file and the README', () => {
    for (const q of [
      'tuxwatch.severity : "critical" and host.name : "web01"',
      'not tuxwatch.severity : "informational"',
      'rule.id : ("suid-sgid-creation" or "authorized-keys-change")',
      'server.port >= 1024 and not process.name : (sshd or nginx)',
      'file.path : /tmp/*',
      'user.* : "alice"',
      'message : "a \\" quote"',
      '',
    ])
      expect(kqlSyntaxProblems(q), q).toEqual([]);
  });

  it.each([
    ['tuxwatch.severity : "critical', /unbalanced double quote/],
    ['(host.name : web01', /unclosed '\('/],
    ['host.name : web01)', /unbalanced '\)'/],
    ['host.name : web01 and', /ends with an operator/],
    ['and host.name : web01', /starts with a boolean operator/],
    ['host.name : and rule.id : x', /field without a value/],
    ['host.name :', /ends with an operator/],
  ])('rejects %s', (q, problem) => {
    expect(kqlSyntaxProblems(q).join('\n')).toMatch(problem);
  });

  it('reads the field names a query compares, not the values', () => {
    expect(kqlFields('tuxwatch.severity : "critical" and host.name : "web01:22"')).toEqual([
      'tuxwatch.severity',
      'host.name',
    ]);
    expect(kqlFields('not (server.port >= 1024 or user.* : x) and @timestamp < "2026-01-01"')).toEqual([
      'server.port',
      'user.*',
      '@timestamp',
    ]);
  });
});

describe('broken copies are rejected', () => {
  const cases: [string, () => string, RegExp][] = [
    ['a line that is not JSON', () => TEXT.replace('\n', '\n{"type": oops}\n'), /line 2: not JSON/],
    ['a blank line', () => TEXT.replace('\n', '\n\n'), /line 2: blank line/],
    [
      'a dangling reference (the search points to a data view that is not in the file)',
      () => mutate('search', 'tuxwatch-alerts-to-triage', (o) => void (o.references[0]!.id = 'no-such-view')),
      /search:tuxwatch-alerts-to-triage: reference kibanaSavedObjectMeta.searchSourceJSON.index points to index-pattern:no-such-view, which is not in the file/,
    ],
    [
      'a dashboard panel whose saved search reference is missing',
      () =>
        mutate('dashboard', 'tuxwatch-overview', (o) => {
          o.references = o.references.filter((r) => r.type !== 'search');
        }),
      /panel .*: no reference named panel_/,
    ],
    [
      'a Lens layer without its data view reference',
      () =>
        mutate('dashboard', 'tuxwatch-overview', (o) => {
          o.references = o.references.filter((r) => !r.name.includes('indexpattern-datasource-layer-'));
        }),
      /no reference named indexpattern-datasource-layer-/,
    ],
    [
      'a duplicate id',
      () => mutate('search', 'tuxwatch-critical-alerts', (o) => void (o.id = 'tuxwatch-alerts-to-triage')),
      /id tuxwatch-alerts-to-triage is not unique/,
    ],
    [
      'no typeMigrationVersion',
      () => mutate('dashboard', 'tuxwatch-overview', (o) => void delete o.typeMigrationVersion),
      /dashboard:tuxwatch-overview: typeMigrationVersion missing/,
    ],
    [
      "an attribute Kibana's search schema (model version 5) does not name",
      () => mutate('search', 'tuxwatch-critical-alerts', (o) => void (o.attributes['tabs'] = [])),
      /search:tuxwatch-critical-alerts: attributes.tabs is not in Kibana's schema/,
    ],
    [
      'a search without kibanaSavedObjectMeta',
      () =>
        mutate(
          'search',
          'tuxwatch-alerts-to-triage',
          (o) => void delete o.attributes['kibanaSavedObjectMeta'],
        ),
      /attributes.kibanaSavedObjectMeta is required by Kibana's schema/,
    ],
    [
      'hideChart as a string',
      () => mutate('search', 'tuxwatch-alerts-to-triage', (o) => void (o.attributes['hideChart'] = 'false')),
      /attributes.hideChart is not a boolean/,
    ],
    [
      'a dashboard attribute the model version 2 schema would drop',
      () => mutate('dashboard', 'tuxwatch-overview', (o) => void (o.attributes['panels'] = [])),
      /dashboard:tuxwatch-overview: attributes.panels is not in Kibana's schema/,
    ],
    [
      'a dashboard refresh interval without pause',
      () =>
        mutate(
          'dashboard',
          'tuxwatch-overview',
          (o) => void (o.attributes['refreshInterval'] = { value: 60000 }),
        ),
      /attributes.refreshInterval.pause is required by Kibana's schema/,
    ],
    [
      'a data view attribute that is not a DataViewAttributes key',
      () =>
        mutate('index-pattern', 'tuxwatch-alerts', (o) => void (o.attributes['timeField'] = '@timestamp')),
      /index-pattern:tuxwatch-alerts: attributes.timeField is not in Kibana's schema/,
    ],
    [
      'an unknown field in the columns',
      () =>
        mutate('search', 'tuxwatch-alerts-to-triage', (o) => {
          (o.attributes['columns'] as string[])[5] = 'user.targetname';
        }),
      /column: unknown field user.targetname/,
    ],
    [
      'an unknown field in a saved search query',
      () =>
        mutate('search', 'tuxwatch-critical-alerts', (o) =>
          setSearchQuery(o, 'tuxwatch.sevrity : "critical"'),
        ),
      /saved search query \(KQL\): unknown field tuxwatch.sevrity/,
    ],
    [
      'an unbalanced quote in a saved search query',
      () =>
        mutate('search', 'tuxwatch-critical-alerts', (o) =>
          setSearchQuery(o, 'tuxwatch.severity : "critical'),
        ),
      /unbalanced double quote/,
    ],
    [
      'searchSourceJSON that does not parse',
      () =>
        mutate('search', 'tuxwatch-critical-alerts', (o) => {
          (o.attributes['kibanaSavedObjectMeta'] as { searchSourceJSON: string }).searchSourceJSON =
            '{"query":';
        }),
      /searchSourceJSON does not parse/,
    ],
    [
      'an unknown field in a Lens layer',
      () =>
        mutate('dashboard', 'tuxwatch-overview', (_o, panels) => {
          columnOn(lensPanel(panels, 'Top hosts'), 'terms').sourceField = 'host.hostname';
        }),
      /terms: unknown field host.hostname/,
    ],
    [
      'a date histogram on a keyword field',
      () =>
        mutate('dashboard', 'tuxwatch-overview', (_o, panels) => {
          columnOn(lensPanel(panels, 'Alerts raised over time by rule'), 'date_histogram').sourceField =
            'event.kind';
        }),
      /date_histogram: field event.kind is keyword, needs date/,
    ],
    [
      'a terms split on a field without doc values (event.original)',
      () =>
        mutate('dashboard', 'tuxwatch-overview', (_o, panels) => {
          columnOn(lensPanel(panels, 'Top rules'), 'terms').sourceField = 'event.original';
        }),
      /terms: field event.original \(keyword\) cannot be sorted or aggregated on/,
    ],
    [
      'a Lens accessor that names no column',
      () =>
        mutate('dashboard', 'tuxwatch-overview', (_o, panels) => {
          lensPanel(panels, 'Top rules').state.visualization.layers[0]!.xAccessor = 'gone';
        }),
      /uses column gone, which the layer does not have/,
    ],
    [
      'overlapping panels',
      () =>
        mutate('dashboard', 'tuxwatch-overview', (_o, panels) => {
          (panels[1] as unknown as { gridData: { x: number } }).gridData.x = 0;
        }),
      /overlaps panel/,
    ],
  ];
  it.each(cases)('%s', (_name, broken, problem) => {
    const problems = checkSavedObjects(broken(), catalog);
    expect(problems.join('\n')).toMatch(problem);
  });

  it('a field renamed in the alert index template breaks the check', () => {
    const template = alertIndexTemplate() as {
      template: { mappings: { properties: { host: { properties: Record<string, unknown> } } } };
    };
    const host = template.template.mappings.properties.host.properties;
    host['hostname'] = host['name'];
    delete host['name'];
    // host.name is still an alert field (so the dynamic template would map it), but as a keyword only by
    // accident: the check follows the template, and the required-field list, not the file
    const renamed = alertFieldCatalog(template as unknown as Record<string, unknown>);
    expect(renamed.get('host.name')?.from).toBe('dynamic template');
    const withoutHostName = new Map(renamed);
    withoutHostName.delete('host.name');
    const problems = checkSavedObjects(TEXT, withoutHostName);
    expect(problems.join('\n')).toMatch(/column: unknown field host.name/);
    expect(problems.join('\n')).toMatch(/terms: unknown field host.name/);
  });
});

describe('README: the Kibana section', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Kibana\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  const kql = [...section.matchAll(/`([^`\n]+)`/g)]
    .map((m) => m[1]!)
    .filter((s) => /^[\w.@*-]+\s*(:|>=|<=|<|>)\s*\S/.test(s) || /^not\s/.test(s));

  it('comes right after "Alerts" and shows how to import by hand', () => {
    expect(readme.indexOf('\n## Kibana\n')).toBeGreaterThan(readme.indexOf('\n## Alerts\n'));
    expect(readme.indexOf('\n## Kibana\n')).toBeLessThan(readme.indexOf('\n## Rules\n'));
    expect(section).toContain('/api/saved_objects/_import?overwrite=true');
    expect(section).toContain('kbn-xsrf: true');
    expect(section).toContain('kibana/tuxwatch-saved-objects.ndjson');
  });

  it('its KQL examples are plausible and name only alert fields', () => {
    expect(kql).toContain('tuxwatch.severity : "critical" and host.name : "web01"');
    expect(kql).toContain('rule.id : "new-uid0-account"');
    expect(kql.length).toBeGreaterThanOrEqual(5);
    for (const q of kql) {
      expect(kqlSyntaxProblems(q), q).toEqual([]);
      for (const f of kqlFields(q)) expect(catalog.has(f) || f.includes('*'), `${q}: ${f}`).toBe(true);
    }
  });

  it('the rule ids it names are bundled rules', () => {
    for (const m of section.matchAll(/rule\.id : "([^"]+)"/g))
      expect(() => readFileSync(join(ROOT, 'detections', `${m[1]}.yml`)), m[1]).not.toThrow();
  });
});

// ------------------------------------------------------------------------------------------------------
// kibana/setup.sh
// ------------------------------------------------------------------------------------------------------

interface ImportRequest {
  url: string;
  xsrf: string | undefined;
  contentType: string | undefined;
  body: string;
}
interface FakeKibana {
  /** status answers before Kibana's core is available; Infinity: never */
  unavailable: number;
  /** the overall level once the core is available: a plugin stuck "degraded" makes it "degraded" */
  overall: 'available' | 'degraded';
  /** the minimal answer Kibana gives an unauthenticated caller: the overall level only */
  redacted: boolean;
  /** status requests are accepted and never answered */
  hang: boolean;
  importStatus: number;
  importBody: string;
  statusCalls: number;
  imports: ImportRequest[];
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

/** The content of the multipart part named "file" of an import request. */
const uploadedFile = (body: string): string => {
  const m = /name="file"; filename="[^"]*"\r\nContent-Type: [^\r]*\r\n\r\n([\s\S]*?)\r\n--/.exec(body);
  if (!m) throw new Error(`no file part in ${body.slice(0, 200)}`);
  return m[1]!;
};

const runSetup = (url: string, env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('sh', [SETUP_SH], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        KIBANA_URL: url,
        KIBANA_SETUP_INTERVAL: '1',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

describe('kibana/setup.sh', () => {
  const kibana: FakeKibana = {
    unavailable: 0,
    overall: 'available',
    redacted: false,
    hang: false,
    importStatus: 200,
    importBody: '',
    statusCalls: 0,
    imports: [],
  };
  let server: Server;
  let url = '';
  const objectCount = objects.length;
  const success = () =>
    JSON.stringify({
      successCount: objectCount,
      success: true,
      warnings: [],
      successResults: objects.map((o) => ({ type: o.type, id: o.id, meta: {}, overwrite: true })),
    });
  const reset = (patch: Partial<FakeKibana>) =>
    Object.assign(
      kibana,
      {
        unavailable: 0,
        overall: 'available',
        redacted: false,
        hang: false,
        importStatus: 200,
        importBody: success(),
        statusCalls: 0,
        imports: [],
      },
      patch,
    );

  beforeAll(async () => {
    server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET' && req.url === '/api/status') {
          kibana.statusCalls++;
          if (kibana.hang) return; // accepted, never answered
          const ready = kibana.statusCalls > kibana.unavailable;
          res.statusCode = ready ? 200 : 503;
          // the shape of Kibana 8/9 /api/status (v8 format): each entry's level comes before its meta
          const core = (level: string) => ({
            elasticsearch: { level, summary: 'Elasticsearch is available', meta: { warningNodes: [] } },
            savedObjects: { level, summary: 'SavedObjects service has completed migrations', meta: {} },
          });
          const overall = ready
            ? {
                level: kibana.overall,
                summary:
                  kibana.overall === 'degraded'
                    ? '1 service is degraded: fleet'
                    : 'All services and plugins are available',
              }
            : { level: 'unavailable', summary: 'Waiting for Elasticsearch' };
          res.end(
            JSON.stringify(
              kibana.redacted
                ? { status: { overall: { level: overall.level } } }
                : {
                    name: 'kibana',
                    status: {
                      overall,
                      core: core(ready ? 'available' : 'unavailable'),
                      plugins: {
                        fleet: { level: kibana.overall, summary: 'Fleet setup', meta: {} },
                      },
                    },
                  },
            ),
          );
        } else if (
          req.method === 'POST' &&
          /^(\/s\/[^/]+)?\/api\/saved_objects\/_import/.test(req.url ?? '')
        ) {
          kibana.imports.push({
            url: req.url!,
            xsrf: req.headers['kbn-xsrf'] as string | undefined,
            contentType: req.headers['content-type'],
            body,
          });
          res.statusCode = kibana.importStatus;
          res.end(kibana.importBody);
        } else {
          res.statusCode = 404;
          res.end('{}');
        }
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is valid POSIX sh syntax (sh -n) with a #!/bin/sh line', () => {
    expect(readFileSync(SETUP_SH, 'utf8').split('\n')[0]).toBe('#!/bin/sh');
    const r = spawnSync('sh', ['-n', SETUP_SH], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('waits until /api/status reports available, then imports the file with kbn-xsrf and overwrite=true', async () => {
    reset({ unavailable: 2 });
    const r = await runSetup(url);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(kibana.statusCalls).toBe(3);
    expect(kibana.imports).toHaveLength(1);
    const req = kibana.imports[0]!;
    expect(req.url).toBe('/api/saved_objects/_import?overwrite=true');
    expect(req.xsrf).toBe('true');
    expect(req.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.body).toContain('name="file"; filename="tuxwatch-saved-objects.ndjson"');
    expect(req.body).toContain(TEXT.trimEnd());
    expect(r.stdout).toContain(`imported ${objectCount} saved objects`);
  }, 20_000);

  it('is idempotent: a second run imports the same file again, overwriting', async () => {
    reset({});
    expect((await runSetup(url)).code).toBe(0);
    expect((await runSetup(url)).code).toBe(0);
    expect(kibana.imports.map((i) => i.url)).toEqual([
      '/api/saved_objects/_import?overwrite=true',
      '/api/saved_objects/_import?overwrite=true',
    ]);
    expect(kibana.imports[0]!.body.replace(/-{2,}[\w-]+/g, '')).toBe(
      kibana.imports[1]!.body.replace(/-{2,}[\w-]+/g, ''),
    );
  }, 20_000);

  it('imports into a space when KIBANA_SPACE is set', async () => {
    reset({});
    const r = await runSetup(url, { KIBANA_SPACE: 'ir' });
    expect(r.code).toBe(0);
    expect(kibana.imports.map((i) => i.url)).toEqual(['/s/ir/api/saved_objects/_import?overwrite=true']);
  }, 20_000);

  const failures: [string, Partial<FakeKibana>, RegExp][] = [
    [
      'the import reports errors (missing references)',
      {
        importBody: JSON.stringify({
          successCount: objectCount - 1,
          success: false,
          warnings: [],
          errors: [
            {
              id: 'tuxwatch-overview',
              type: 'dashboard',
              meta: { title: 'tuxwatch — overview' },
              error: { type: 'missing_references', references: [{ type: 'search', id: 'gone' }] },
            },
          ],
        }),
      },
      /import did not succeed: .*missing_references/,
    ],
    [
      'the import answers success with an errors list',
      {
        importBody: JSON.stringify({
          successCount: objectCount,
          success: true,
          errors: [{ id: 'x', type: 'search', error: { type: 'conflict' } }],
        }),
      },
      /import reported errors/,
    ],
    [
      'the import answers HTTP 400',
      {
        importStatus: 400,
        importBody: JSON.stringify({
          statusCode: 400,
          error: 'Bad Request',
          message: 'Invalid file extension .txt',
        }),
      },
      /import answered HTTP 400: .*Invalid file extension/,
    ],
    [
      'fewer objects were imported than the file holds',
      { importBody: JSON.stringify({ successCount: objectCount - 1, success: true, warnings: [] }) },
      new RegExp(`imported ${objectCount - 1} objects, but .* holds ${objectCount}`),
    ],
  ];
  it.each(failures)(
    'fails loudly (non-zero, on stderr) when %s',
    async (_name, patch, message) => {
      reset(patch);
      const r = await runSetup(url);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
    },
    20_000,
  );

  it('fails when Kibana is never ready within KIBANA_SETUP_TIMEOUT', async () => {
    reset({ unavailable: Infinity });
    const r = await runSetup(url, { KIBANA_SETUP_TIMEOUT: '2' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /was not ready to import within 2s \(last status: overall: unavailable, elasticsearch: unavailable, savedObjects: unavailable\)/,
    );
    expect(kibana.imports).toEqual([]);
  }, 20_000);

  it('fails when nothing answers at KIBANA_URL', async () => {
    const r = await runSetup('http://127.0.0.1:9', { KIBANA_SETUP_TIMEOUT: '1' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/last status: no answer/);
  }, 20_000);

  it('a plugin stuck "degraded" does not stop the import: the core services are what an import needs', async () => {
    reset({ unavailable: 1, overall: 'degraded' });
    const r = await runSetup(url);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /ready \(elasticsearch: available, savedObjects: available, overall: degraded\)/,
    );
    expect(kibana.imports).toHaveLength(1);
  }, 20_000);

  it('the redacted answer (no core services) counts when its overall level is available or degraded', async () => {
    reset({ unavailable: 1, overall: 'degraded', redacted: true });
    const r = await runSetup(url);
    expect(r.code).toBe(0);
    expect(kibana.statusCalls).toBe(2);
    expect(kibana.imports).toHaveLength(1);
  }, 20_000);

  it('its timeout is wall-clock time: a status request that hangs does not stretch it', async () => {
    reset({ hang: true });
    const started = Date.now();
    const r = await runSetup(url, { KIBANA_SETUP_TIMEOUT: '3', KIBANA_SETUP_INTERVAL: '5' });
    const took = (Date.now() - started) / 1000;
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/was not ready to import within 3s \(last status: no answer\)/);
    // curl's own limit (60 s) would have held it far longer
    expect(took).toBeLessThan(6);
    expect(kibana.imports).toEqual([]);
  }, 20_000);

  it('in a space, every id carries the space (ids are unique across spaces), references and dashboard JSON too', async () => {
    reset({});
    const r = await runSetup(url, { KIBANA_SPACE: 'ir' });
    expect(r.code, r.stderr).toBe(0);
    const sent = uploadedFile(kibana.imports[0]!.body);
    const ids = parseSavedObjects(sent).objects.map((o) => o.id);
    expect(ids.sort()).toEqual(objects.map((o) => `${o.id}--ir`).sort());
    // still consistent: every reference, also those inside panelsJSON, resolves within the file
    expect(checkSavedObjects(sent, catalog)).toEqual([]);
    expect(r.stdout).toContain(`${url}/s/ir/app/dashboards#/view/tuxwatch-overview--ir`);
  }, 20_000);

  it('in the default space, the file is sent as it is', async () => {
    reset({});
    expect((await runSetup(url, { KIBANA_SPACE: 'default' })).code).toBe(0);
    expect(kibana.imports[0]!.url).toBe('/api/saved_objects/_import?overwrite=true');
    expect(uploadedFile(kibana.imports[0]!.body)).toBe(TEXT);
  }, 20_000);

  it('refuses a KIBANA_SPACE that is not a space id', async () => {
    reset({});
    const r = await runSetup(url, { KIBANA_SPACE: 'ir/../x' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/KIBANA_SPACE must be a space id/);
    expect(kibana.statusCalls).toBe(0);
  }, 20_000);

  it('warns when Kibana gave objects new ids (destinationId)', async () => {
    reset({
      importBody: JSON.stringify({
        successCount: objects.length,
        success: true,
        successResults: objects.map((o) => ({ type: o.type, id: o.id, destinationId: `x-${o.id}` })),
      }),
    });
    const r = await runSetup(url);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/WARNING: Kibana gave some objects new ids/);
  }, 20_000);
});
