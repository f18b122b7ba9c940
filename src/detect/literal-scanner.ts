/**
 * Aho-Corasick over ASCII literals, compiled to a DFA: one table lookup per character of the scanned text,
 * whatever the number of literals. Each state knows which targets (rules) its literals stand for, so one pass
 * over a field marks every rule whose prefilter that field satisfies.
 *
 * Characters outside the literals' alphabet (all non-ASCII among them) map to class 0, which always leads
 * back to the root: no literal contains them.
 */
export class LiteralScanner {
  private readonly classOf = new Uint8Array(128);
  private readonly classes: number;
  private readonly next: Int32Array;
  /** per state: the targets whose literal ends here (own or via failure links), or null */
  private readonly outputs: (Int32Array | null)[];

  /** `literals[i]` is lowercase ASCII and stands for target `targets[i]` */
  constructor(literals: readonly string[], targets: readonly number[]) {
    let classes = 1;
    for (const lit of literals) {
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (c > 0x7f) throw new RangeError('LiteralScanner takes ASCII literals only');
        if (this.classOf[c] === 0) this.classOf[c] = classes++;
      }
    }
    this.classes = classes;

    // trie
    const children: Map<number, number>[] = [new Map()];
    const own: Set<number>[] = [new Set()];
    literals.forEach((lit, k) => {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const cls = this.classOf[lit.charCodeAt(i)]!;
        let t = children[s]!.get(cls);
        if (t === undefined) {
          t = children.length;
          children.push(new Map());
          own.push(new Set());
          children[s]!.set(cls, t);
        }
        s = t;
      }
      own[s]!.add(targets[k]!);
    });

    // breadth-first: failure links, full transition table, merged outputs
    const states = children.length;
    const next = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const outputs: (Int32Array | null)[] = new Array<Int32Array | null>(states).fill(null);
    const merged: Set<number>[] = own.map((s) => new Set(s));
    const queue: number[] = [];
    for (let cls = 1; cls < classes; cls++) {
      const t = children[0]!.get(cls);
      if (t !== undefined) {
        next[cls] = t;
        queue.push(t);
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      for (const target of merged[fail[s]!]!) merged[s]!.add(target);
      for (let cls = 1; cls < classes; cls++) {
        const t = children[s]!.get(cls);
        if (t !== undefined) {
          fail[t] = next[fail[s]! * classes + cls]!;
          next[s * classes + cls] = t;
          queue.push(t);
        } else next[s * classes + cls] = next[fail[s]! * classes + cls]!;
      }
    }
    for (let s = 0; s < states; s++) if (merged[s]!.size > 0) outputs[s] = Int32Array.from(merged[s]!);
    this.next = next;
    this.outputs = outputs;
  }

  /** Marks `stamp[target] = gen` for every target with a literal in `text` (already lowercased). */
  scan(text: string, stamp: Int32Array, gen: number): void {
    const classOf = this.classOf;
    const next = this.next;
    const outputs = this.outputs;
    const classes = this.classes;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      s = next[s * classes + (c < 128 ? classOf[c]! : 0)]!;
      const out = outputs[s];
      if (out !== null && out !== undefined) for (let k = 0; k < out.length; k++) stamp[out[k]!] = gen;
    }
  }
}
