/** One measurement, printed as one JSON line (CONTRACT §5). */
export interface BenchResult {
  readonly bench: string;
  readonly events_per_s?: number;
  readonly p50_us?: number;
  readonly p99_us?: number;
  readonly rss_mb?: number;
  readonly [detail: string]: string | number | undefined;
}

/** `value` rounded to `places` decimals, as the benches print their figures. */
export const round = (value: number, places: number): number =>
  Math.round(value * 10 ** places) / 10 ** places;
