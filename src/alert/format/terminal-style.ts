import pc from 'picocolors';
import stringWidth from 'string-width';
import type { Level } from '../../domain/rule';

/** How text for people is shown on this stream: whether to colour it, and how wide it may be. */
export interface TerminalStyle {
  readonly color: boolean;
  /** columns, or undefined for no limit (a pipe, a file) */
  readonly width?: number;
}

/**
 * Colour only on a terminal, and never when the user said no: `--no-color`, then `NO_COLOR` (any non-empty
 * value, no-color.org), then `FORCE_COLOR` (non-empty, not `0`: colour in a pipe, as picocolors and chalk
 * read it), then whether the stream is a TTY that is not `TERM=dumb` (one that shows escape sequences as
 * text: Emacs' shell, some editors' consoles; supports-color decides so too). The width is the terminal's;
 * a pipe has none.
 */
export function terminalStyle(
  stream: { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv,
  noColor: boolean,
): TerminalStyle {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0';
  const color = !noColor && !env.NO_COLOR && (forced || (stream.isTTY === true && env.TERM !== 'dumb'));
  const width = stream.isTTY === true && stream.columns ? stream.columns : undefined;
  return { color, ...(width !== undefined && { width }) };
}

type Paint = (text: string) => string;

/** Severity colours after Hayabusa's: critical bold red, high red, medium yellow, low green, informational dim. */
export function severityPaint(color: boolean): Readonly<Record<Level, Paint>> {
  const c = pc.createColors(color);
  return {
    critical: (t) => c.bold(c.redBright(t)),
    high: c.red,
    medium: c.yellow,
    low: c.green,
    informational: c.dim,
  };
}

/** Columns a string takes on a terminal (East Asian wide characters count two). */
export const displayWidth = (text: string): number => stringWidth(text);

/** Cuts text to at most `width` columns, marking the cut with `…`. */
export function fitWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}

/** Pads text with spaces to `width` columns. */
export const padWidth = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)));
