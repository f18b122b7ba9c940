import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleProblem } from '../../domain/rule';
import type { ReadResult } from './rule-reader';

/**
 * Parsed rule files, by the SHA-256 of their text. Parsing YAML is most of a cold start (about 240 ms for
 * the bundled rules, in every thread that loads them; compiling the parsed trees takes 30 ms), so the build
 * parses the bundled rules once and keeps the trees as JSON (`npm run build` writes PARSED_RULES_FILE).
 * A file is taken from the cache only when its text is byte for byte the text that was parsed: an edited
 * rule, or any other rule file, is parsed as always. Trees and problems are kept without their file name,
 * which is put back on use.
 */
export class ParsedRuleCache {
  private constructor(private readonly byHash: ReadonlyMap<string, CachedParse>) {}

  /** The build's cache beside this module, or an empty one (a source checkout, a cache from elsewhere). */
  static bundled(): ParsedRuleCache {
    let json: string;
    try {
      json = readFileSync(PARSED_RULES_FILE, 'utf8');
    } catch {
      return new ParsedRuleCache(new Map());
    }
    return ParsedRuleCache.fromJson(json);
  }

  /** A cache from what `serialize` wrote; empty when the text is not a cache of this format. */
  static fromJson(json: string): ParsedRuleCache {
    try {
      const data = JSON.parse(json) as CacheFile;
      if (data.format === FORMAT) return new ParsedRuleCache(new Map(Object.entries(data.files)));
    } catch {
      // not JSON: every file is parsed
    }
    return new ParsedRuleCache(new Map());
  }

  /** What parsing `text` as `file` gives, if this cache holds it. */
  get(file: string, text: string): ReadResult | undefined {
    const hit = this.byHash.get(textHash(text));
    if (hit === undefined) return undefined;
    return {
      documents: hit.documents.map((d) => ({ ...d, file })),
      problems: hit.problems.map((p) => ({ ...p, file })),
    };
  }

  /**
   * The cache file for these parsed files. A file whose trees JSON cannot carry exactly (a `-0`, or a
   * number that is not finite) is left out: it is parsed at each start, as before.
   */
  static serialize(parsed: readonly { text: string; result: ReadResult }[]): string {
    const files: Record<string, CachedParse> = {};
    for (const { text, result } of parsed) {
      const entry: CachedParse = {
        documents: result.documents.map(({ file: _file, ...d }) => d),
        problems: result.problems.map(({ file: _file, ...p }) => p),
      };
      try {
        JSON.stringify(entry, exactNumbers);
        files[textHash(text)] = entry;
      } catch {
        // not exact as JSON: not cached
      }
    }
    return JSON.stringify({ format: FORMAT, files } satisfies CacheFile);
  }
}

/** Where the build writes the cache: beside the compiled loader. */
export const PARSED_RULES_FILE = join(__dirname, 'parsed-rules.json');

/** Bumped whenever the shape of RuleDocument or of the trees changes: an old file is then ignored. */
const FORMAT = 'tuxwatch-parsed-rules-1';

interface CachedParse {
  readonly documents: readonly Omit<ReadResult['documents'][number], 'file'>[];
  readonly problems: readonly Omit<RuleProblem, 'file'>[];
}

interface CacheFile {
  readonly format: string;
  readonly files: Readonly<Record<string, CachedParse>>;
}

const textHash = (text: string): string => createHash('sha256').update(text).digest('hex');

function exactNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)))
    throw new RangeError('not exact as JSON');
  return value;
}
