import type { FieldValue, SiemEvent } from '../../domain/event';
import { accessorAt, slotCount } from './field-map';

/** A field's values as text: one string, several (array fields), or null when missing, null or empty. */
export type TextValues = string | readonly string[] | null;

/**
 * One event as the matchers see it. Each field is converted to text and lowercased at most once per event,
 * whatever the number of rules reading it. The engine reuses one view for every event (`reset`), so
 * evaluation allocates nothing but the strings it must lowercase.
 */
export class EventView {
  private event: SiemEvent;
  private gen = 1;
  private textStamp = new Int32Array(0);
  private textVals: TextValues[] = [];
  private lowerStamp = new Int32Array(0);
  private lowerVals: TextValues[] = [];

  constructor(event: SiemEvent) {
    this.event = event;
  }

  get current(): SiemEvent {
    return this.event;
  }

  reset(event: SiemEvent): void {
    this.event = event;
    if (++this.gen >= 0x7fffffff) {
      this.gen = 1;
      this.textStamp.fill(0);
      this.lowerStamp.fill(0);
    }
  }

  raw(slot: number): FieldValue | undefined {
    return accessorAt(slot).read(this.event);
  }

  text(slot: number): TextValues {
    if (slot >= this.textStamp.length) this.grow();
    if (this.textStamp[slot] === this.gen) return this.textVals[slot]!;
    const v = toText(this.raw(slot));
    this.textStamp[slot] = this.gen;
    this.textVals[slot] = v;
    return v;
  }

  lower(slot: number): TextValues {
    if (slot >= this.lowerStamp.length) this.grow();
    if (this.lowerStamp[slot] === this.gen) return this.lowerVals[slot]!;
    const t = this.text(slot);
    const v = t === null ? null : typeof t === 'string' ? t.toLowerCase() : t.map((s) => s.toLowerCase());
    this.lowerStamp[slot] = this.gen;
    this.lowerVals[slot] = v;
    return v;
  }

  private grow(): void {
    const size = Math.max(slotCount(), 16);
    const t = new Int32Array(size);
    t.set(this.textStamp);
    this.textStamp = t;
    const l = new Int32Array(size);
    l.set(this.lowerStamp);
    this.lowerStamp = l;
  }
}

function scalarText(v: string | number | boolean): string {
  return typeof v === 'string' ? v : String(v);
}

function toText(v: FieldValue | undefined): TextValues {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object') return scalarText(v);
  if (v.length === 0) return null;
  return v.map(scalarText);
}

/** A strict decimal number as text ("42", "-1.5"), or undefined: " 5" or "0x10" are not numbers here. */
export function numericValue(v: FieldValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || !isDecimal(v)) return undefined;
  return Number(v);
}

export function isDecimal(s: string): boolean {
  let i = s.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  let digits = 0;
  let dot = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0 && s[s.length - 1] !== '.';
}
