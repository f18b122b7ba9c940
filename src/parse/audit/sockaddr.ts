/** A decoded SOCKADDR record (`saddr=` is the raw struct sockaddr in hex). */
export type SocketAddress =
  | { readonly family: 'inet' | 'inet6'; readonly ip: string; readonly port: number }
  | { readonly family: 'local'; readonly path: string }
  | { readonly family: 'netlink' | 'unspec' | 'other'; readonly number: number };

const AF_UNSPEC = 0;
const AF_LOCAL = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;

/**
 * Decodes `saddr=` the way auparse's sockaddr interpretation does, for the little-endian architectures
 * tuxwatch names (x86_64, i386, aarch64): family in host order, port and address in network order, a
 * unix path up to its NUL (`@name` for the abstract namespace).
 */
export function decodeSockaddr(hex: string): SocketAddress | undefined {
  if (!/^(?:[0-9A-Fa-f]{2}){2,}$/.test(hex)) return undefined;
  const b = Buffer.from(hex, 'hex');
  const family = b.readUInt16LE(0);
  switch (family) {
    case AF_INET:
      if (b.length < 8) return undefined;
      return { family: 'inet', port: b.readUInt16BE(2), ip: [...b.subarray(4, 8)].join('.') };
    case AF_INET6:
      if (b.length < 24) return undefined;
      return { family: 'inet6', port: b.readUInt16BE(2), ip: ipv6(b.subarray(8, 24)) };
    case AF_LOCAL: {
      const raw = b.subarray(2);
      if (raw.length === 0) return { family: 'local', path: '' };
      if (raw[0] === 0) return { family: 'local', path: `@${text(raw.subarray(1))}` };
      return { family: 'local', path: text(raw) };
    }
    case AF_NETLINK:
      return { family: 'netlink', number: family };
    case AF_UNSPEC:
      return { family: 'unspec', number: family };
    default:
      return { family: 'other', number: family };
  }
}

function text(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return bytes.subarray(0, nul < 0 ? bytes.length : nul).toString('utf8');
}

/** RFC 5952 text: lowercase, longest run of zero groups as `::`, IPv4-mapped as `::ffff:a.b.c.d`. */
function ipv6(bytes: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return `::ffff:${[...bytes.subarray(12, 16)].join('.')}`;
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
