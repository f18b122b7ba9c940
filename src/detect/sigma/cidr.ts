/**
 * IPv4 and IPv6 networks for the `cidr` modifier. Addresses are four 32-bit words (IPv4 uses one); an
 * IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is compared as the IPv4 address it carries.
 */
export interface Address {
  readonly v6: boolean;
  readonly words: readonly number[];
}

export class Network {
  private constructor(
    private readonly v6: boolean,
    private readonly words: readonly number[],
    private readonly prefix: number,
  ) {}

  /** `10.0.0.0/8`, `fe80::/10`, or a bare address (a /32 or /128); undefined when not a network. */
  static parse(text: string): Network | undefined {
    const slash = text.indexOf('/');
    const addr = parseAddress(slash < 0 ? text : text.slice(0, slash));
    if (addr === undefined) return undefined;
    // an IPv4-mapped network (::ffff:10.0.0.0/104) is written with an IPv6 prefix length
    const mapped = !addr.v6 && text.includes(':');
    const max = addr.v6 ? 128 : 32;
    let prefix = max;
    if (slash >= 0) {
      const p = text.slice(slash + 1);
      if (!/^\d{1,3}$/.test(p)) return undefined;
      prefix = Number(p) - (mapped ? 96 : 0);
      if (prefix < 0 || prefix > max) return undefined;
    }
    return new Network(addr.v6, addr.words, prefix);
  }

  contains(a: Address): boolean {
    if (a.v6 !== this.v6) return false;
    let bits = this.prefix;
    for (let i = 0; i < this.words.length && bits > 0; i++) {
      const take = Math.min(bits, 32);
      const mask = take === 32 ? 0xffffffff : ~(0xffffffff >>> take) >>> 0;
      if (((a.words[i]! ^ this.words[i]!) & mask) >>> 0 !== 0) return false;
      bits -= take;
    }
    return true;
  }
}

export function parseAddress(text: string): Address | undefined {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.includes(':')) return parseV6(s);
  const v4 = parseV4(s);
  return v4 === undefined ? undefined : { v6: false, words: [v4] };
}

function parseV4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n >>> 0;
}

function parseV6(s: string): Address | undefined {
  const groups: number[] = [];
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const items = h.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i]!;
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = parseV4(g);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const head = parseHalf(halves[0]!);
  const tail = halves.length === 2 ? parseHalf(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    groups.push(...head, ...new Array<number>(fill).fill(0), ...tail);
  } else {
    if (head.length !== 8) return undefined;
    groups.push(...head);
  }
  const words = [0, 1, 2, 3].map((i) => ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0);
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return { v6: false, words: [words[3]!] };
  return { v6: true, words };
}
