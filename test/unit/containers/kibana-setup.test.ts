/**
 * docker-compose.yml: the one-shot `kibana-setup` service that imports kibana/tuxwatch-saved-objects.ndjson
 * (what it runs is tested in test/unit/kibana/saved-objects.test.ts). The file as a whole is checked against
 * the Compose specification in compose.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environmentOf, interpolateDocument } from './compose-schema';

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string | string[] };
  ports?: unknown[];
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  restart?: string;
}

const ROOT = join(__dirname, '..', '..', '..');
const compose = interpolateDocument(parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')), {}) as {
  services: Record<string, Service>;
};
const services = compose.services;
const setup = services['kibana-setup'];

/** Bind mounts as { source, target, readOnly }, from the short or the long syntax. */
const binds = (s: Service) =>
  (s.volumes ?? []).flatMap((v) => {
    if (typeof v === 'string') {
      const [source, target, mode] = v.split(':');
      return /^[./~]/.test(source!) ? [{ source: source!, target: target!, readOnly: mode === 'ro' }] : [];
    }
    return v.type === 'bind'
      ? [{ source: v.source!, target: v.target!, readOnly: v.read_only === true }]
      : [];
  });
const argv = (c: string | string[] | undefined): string[] =>
  typeof c === 'string' ? c.split(/\s+/) : (c ?? []);

describe('docker-compose.yml: the kibana-setup service', () => {
  it('exists', () => {
    expect(setup).toBeDefined();
  });

  it('uses a pinned image that has curl and sh: the Kibana image of the stack, or curlimages/curl', () => {
    const image = setup!.image!;
    expect(setup!.build).toBeUndefined();
    if (image.startsWith('curlimages/curl:')) expect(image).toMatch(/^curlimages\/curl:\d+\.\d+\.\d+$/);
    else expect(image).toBe(services['kibana']!.image);
  });

  it('runs once: waits for a healthy Kibana, never restarts, publishes nothing', () => {
    expect(setup!.depends_on).toEqual({ kibana: { condition: 'service_healthy' } });
    expect(services['kibana']!.healthcheck?.test).toBeDefined();
    expect(setup!.restart).toBe('no');
    expect(setup!.ports).toBeUndefined();
  });

  it('mounts ./kibana read-only and runs setup.sh from that mount with sh', () => {
    const mount = binds(setup!).find((b) => posix.normalize(b.source) === 'kibana');
    expect(mount, './kibana bind mount').toBeDefined();
    expect(mount!.readOnly).toBe(true);
    const command = [...argv(setup!.entrypoint), ...argv(setup!.command)];
    expect(command).toContain(posix.join(mount!.target, 'setup.sh'));
    expect(command[0]).toMatch(/(^|\/)sh$/);
    for (const f of ['setup.sh', 'tuxwatch-saved-objects.ndjson'])
      expect(existsSync(join(ROOT, 'kibana', f)), f).toBe(true);
  });

  it('talks to the kibana service on the port Kibana listens on', () => {
    const url = new URL(environmentOf(setup!)['KIBANA_URL']!);
    expect(services[url.hostname], `service ${url.hostname}`).toBeDefined();
    expect(url.hostname).toBe('kibana');
    expect(url.port).toBe('5601');
    expect(services['kibana']!.ports?.map(String).some((p) => p.endsWith(':5601'))).toBe(true);
  });

  it('sets only variables setup.sh reads', () => {
    const script = readFileSync(join(ROOT, 'kibana', 'setup.sh'), 'utf8');
    for (const name of Object.keys(environmentOf(setup!))) expect(script, name).toContain(`\${${name}:-`);
  });

  it('nothing waits for it: tuxwatch runs without Kibana', () => {
    for (const [name, s] of Object.entries(services)) {
      const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      expect(deps, `${name} depends on kibana-setup`).not.toContain('kibana-setup');
    }
    const tuxwatchDeps = Object.keys(services['tuxwatch']!.depends_on ?? {});
    expect(tuxwatchDeps).not.toContain('kibana');
  });
});
