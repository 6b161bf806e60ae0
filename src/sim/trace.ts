/**
 * The run's trace: a running 64-bit hash (two 32-bit FNV-style lanes) of every event, always on and
 * cheap, plus, only when asked, the full list of events as JSON-ready records.
 */

export type TraceRecord = Record<string, string | number | boolean | null>;

export class Trace {
  private lo = 0x811c9dc5;
  private hi = 0x01000193;
  private count = 0;
  readonly records: TraceRecord[] | null;

  constructor(keepRecords: boolean) {
    this.records = keepRecords ? [] : null;
  }

  get events(): number {
    return this.count;
  }

  /** Mixes integers into the hash. Callers pass the event's kind code first. */
  mix(a: number, b = 0, c = 0, d = 0, e = 0): void {
    this.count++;
    this.mixOne(a);
    this.mixOne(b);
    this.mixOne(c);
    this.mixOne(d);
    this.mixOne(e);
  }

  /** Mixes a string (used only for rare events such as faults). */
  mixString(text: string): void {
    for (let i = 0; i < text.length; i++) this.mixOne(text.charCodeAt(i));
  }

  /**
   * One event, into both: the hash (its kind code, then up to four integers) and, when records are
   * kept, the full trace. `describe` runs only then, so a run without records builds none.
   */
  note(describe: () => TraceRecord, code: number, b = 0, c = 0, d = 0, e = 0): void {
    this.mix(code, b, c, d, e);
    if (this.records) this.records.push(describe());
  }

  /** The same, with a text mixed into the hash after the integers (rare events: faults). */
  noteWithText(describe: () => TraceRecord, text: string, code: number, b = 0, c = 0, d = 0, e = 0): void {
    this.mix(code, b, c, d, e);
    this.mixString(text);
    if (this.records) this.records.push(describe());
  }

  /** An event only the full trace shows (the hash leaves it out, as it always has). */
  record(record: TraceRecord): void {
    this.records?.push(record);
  }

  /** 16 hex digits. */
  hash(): string {
    return (this.hi >>> 0).toString(16).padStart(8, '0') + (this.lo >>> 0).toString(16).padStart(8, '0');
  }

  private mixOne(value: number): void {
    // Values are integers that fit in 53 bits; fold the high part in so large times still count.
    const low = value | 0;
    const high = Math.floor(value / 4294967296) | 0;
    this.lo = Math.imul(this.lo ^ low, 0x01000193);
    this.hi = Math.imul(this.hi ^ (low ^ high ^ (this.lo >>> 15)), 0x5bd1e995);
    this.hi ^= this.hi >>> 13;
  }
}
