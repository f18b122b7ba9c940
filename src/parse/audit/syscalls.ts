import { AARCH64_SYSCALLS, I386_SYSCALLS, X86_64_SYSCALLS } from './syscall-tables';

/** The audit architectures tuxwatch names syscalls for (`arch=` is the kernel's AUDIT_ARCH_* value). */
export type AuditArch = 'x86_64' | 'i386' | 'aarch64';

const ARCHES: Readonly<Record<string, AuditArch>> = {
  c000003e: 'x86_64',
  '40000003': 'i386',
  c00000b7: 'aarch64',
};

function table(pairs: string): ReadonlyMap<number, string> {
  const map = new Map<number, string>();
  for (const pair of pairs.split(' ')) {
    const i = pair.indexOf(':');
    map.set(Number(pair.slice(0, i)), pair.slice(i + 1));
  }
  return map;
}

const TABLES: Readonly<Record<AuditArch, ReadonlyMap<number, string>>> = {
  x86_64: table(X86_64_SYSCALLS),
  i386: table(I386_SYSCALLS),
  aarch64: table(AARCH64_SYSCALLS),
};

/** `c000003e` → `x86_64` (case-insensitive, as the kernel writes lowercase hex); undefined if unknown. */
export const auditArch = (arch: string): AuditArch | undefined => ARCHES[arch.toLowerCase()];

/** The syscall's name on that architecture (`x86_64`, `59` → `execve`); undefined if unknown. */
export function syscallName(arch: AuditArch | undefined, nr: string): string | undefined {
  if (arch === undefined || !/^\d{1,4}$/.test(nr)) return undefined;
  return TABLES[arch].get(Number(nr));
}
