import type { HostFs } from './host-fs';
import type { ProgramRunner } from './programs';

/**
 * Which package owns a path. Built from dpkg's file lists (/var/lib/dpkg/info/*.list and the diversions
 * file: plain reads, no dpkg process, no lock) or, on rpm hosts, one `rpm -qa` query. Paths are compared
 * after merged-/usr aliasing (`/bin/ls` in a list is `/usr/bin/ls` on disk when /bin links to usr/bin),
 * which dpkg itself does not do.
 */
export class PackageIndex {
  private constructor(
    readonly manager: 'dpkg' | 'rpm' | undefined,
    private readonly owners: ReadonlyMap<string, string>,
    private readonly aliases: readonly (readonly [string, string])[],
    readonly problems: readonly string[],
  ) {}

  static empty(problem?: string): PackageIndex {
    return new PackageIndex(undefined, new Map(), [], problem ? [problem] : []);
  }

  static async build(fs: HostFs, programs: ProgramRunner, maxBytes: number): Promise<PackageIndex> {
    const aliases = usrAliases(fs);
    if (fs.lstat('/var/lib/dpkg/info')?.isDirectory()) return PackageIndex.fromDpkg(fs, aliases, maxBytes);
    const rpm = fs.root === '/' ? programs.find('rpm') : undefined;
    if (rpm !== undefined && fs.lstat('/var/lib/rpm')?.isDirectory()) {
      // a query: rpm holds a shared (read) lock on its database meanwhile, which blocks no other reader
      const r = await programs.run(rpm, ['-qa', '--qf', '[%{FILENAMES}\\t%{NAME}\\n]'], {
        timeoutMs: 120_000,
        maxBytes: 256 * 1024 * 1024,
      });
      if (r.code !== 0) return PackageIndex.empty(`rpm -qa failed: ${r.stderr.trim().slice(0, 200)}`);
      const owners = new Map<string, string>();
      for (const line of r.stdout.split('\n')) {
        const tab = line.lastIndexOf('\t');
        if (tab > 0) owners.set(canonical(line.slice(0, tab), aliases), line.slice(tab + 1));
      }
      return new PackageIndex('rpm', owners, aliases, []);
    }
    return PackageIndex.empty('no package database (dpkg or rpm) found');
  }

  private static fromDpkg(
    fs: HostFs,
    aliases: readonly (readonly [string, string])[],
    maxBytes: number,
  ): PackageIndex {
    const owners = new Map<string, string>();
    const problems: string[] = [];
    const dir = '/var/lib/dpkg/info';
    for (const entry of fs.readdir(dir)) {
      if (!entry.name.endsWith('.list')) continue;
      const pkg = entry.name.slice(0, -'.list'.length).replace(/:[^:]+$/, '');
      const r = fs.readText(`${dir}/${entry.name}`, maxBytes);
      if (!r.ok) {
        problems.push(`${dir}/${entry.name}: ${r.reason}`);
        continue;
      }
      for (const path of r.text!.split('\n'))
        if (path.startsWith('/')) owners.set(canonical(path, aliases), pkg);
    }
    // dpkg-divert: the renamed original still belongs to the package that shipped it
    const diversions = fs.readText('/var/lib/dpkg/diversions', maxBytes);
    if (diversions.ok) {
      const l = diversions.text!.split('\n');
      for (let i = 0; i + 2 < l.length; i += 3) {
        const original = owners.get(canonical(l[i]!, aliases));
        if (original !== undefined) owners.set(canonical(l[i + 1]!, aliases), original);
      }
    }
    return new PackageIndex('dpkg', owners, aliases, problems);
  }

  /** The owning package, or null when none owns the path. */
  owner(path: string): string | null {
    return this.owners.get(canonical(path, this.aliases)) ?? null;
  }

  get size(): number {
    return this.owners.size;
  }
}

/** `/bin` -> `/usr/bin` style top-level symlinks of a merged-/usr root. */
function usrAliases(fs: HostFs): [string, string][] {
  const out: [string, string][] = [];
  for (const name of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const target = fs.readlink(`/${name}`);
    if (target === undefined) continue;
    const absolute = target.startsWith('/') ? target : `/${target}`;
    if (/^\/usr\/[^/]+$/.test(absolute)) out.push([`/${name}/`, `${absolute}/`]);
  }
  return out;
}

function canonical(path: string, aliases: readonly (readonly [string, string])[]): string {
  for (const [from, to] of aliases) if (path.startsWith(from)) return to + path.slice(from.length);
  return path;
}
