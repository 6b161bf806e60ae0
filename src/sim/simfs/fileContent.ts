/**
 * A file's bytes, and the undo records that let a crash take back the writes and truncates that
 * were never synced. Invariant: the buffer past `size` is all zeros, so growing a file (by a write
 * past its end or a truncate up) exposes zeros without clearing anything.
 */

/** One unsynced change to a file's data, with what it replaced. `seq` orders it among all changes. */
export type DataOp =
  | {
      readonly kind: 'write';
      readonly seq: number;
      readonly position: number;
      /** The bytes written (kept so that a crash can re-apply a torn prefix of them). */
      readonly data: Uint8Array;
      readonly oldSize: number;
      /** The bytes the write overwrote: [position, min(position + data.length, oldSize)). */
      readonly overwritten: Uint8Array;
    }
  | {
      readonly kind: 'truncate';
      readonly seq: number;
      readonly length: number;
      readonly oldSize: number;
      /** The bytes cut off, [length, oldSize), when it shrank the file. */
      readonly cut: Uint8Array;
    };

export class FileContent {
  constructor(
    private bytes: Uint8Array = new Uint8Array(0),
    private length = 0,
  ) {}

  get size(): number {
    return this.length;
  }

  clone(): FileContent {
    return new FileContent(this.bytes.slice(0, this.length), this.length);
  }

  /** The current bytes (a view: valid until the next change). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** Copies up to `length` bytes at `position` into `target` at `offset`; returns how many. */
  read(target: Uint8Array, offset: number, length: number, position: number): number {
    const count = Math.max(0, Math.min(length, this.length - position));
    if (count > 0) target.set(this.bytes.subarray(position, position + count), offset);
    return count;
  }

  write(position: number, data: Uint8Array, seq: number): DataOp {
    const oldSize = this.length;
    const overwritten = this.bytes.slice(position, Math.max(position, Math.min(position + data.length, oldSize)));
    this.place(position, data);
    return { kind: 'write', seq, position, data, oldSize, overwritten };
  }

  truncate(length: number, seq: number): DataOp {
    const oldSize = this.length;
    const cut = length < oldSize ? this.bytes.slice(length, oldSize) : new Uint8Array(0);
    this.resize(length);
    return { kind: 'truncate', seq, length, oldSize, cut };
  }

  /** Takes back `op`, which must be the latest change still applied. */
  undo(op: DataOp): void {
    if (op.kind === 'write') {
      this.bytes.set(op.overwritten, op.position);
      this.bytes.fill(0, op.position + op.overwritten.length, op.position + op.data.length);
    } else {
      this.ensure(op.oldSize);
      this.bytes.set(op.cut, op.length);
    }
    this.resize(op.oldSize);
  }

  /** Writes `data` at `position`, growing the file (zeros in any gap). No undo record. */
  place(position: number, data: Uint8Array): void {
    this.ensure(position + data.length);
    this.bytes.set(data, position);
    if (position + data.length > this.length) this.length = position + data.length;
  }

  /** Zeros [from, to) (clipped to the file); the size is unchanged. No undo record. */
  zero(from: number, to: number): void {
    this.bytes.fill(0, from, Math.min(to, this.length));
  }

  /** Sets the size; bytes cut off are zeroed so the buffer's tail stays zero. */
  resize(length: number): void {
    if (length < this.length) this.bytes.fill(0, length, this.length);
    else this.ensure(length);
    this.length = length;
  }

  private ensure(capacity: number): void {
    if (capacity <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(capacity, this.bytes.length * 2, 64));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}
