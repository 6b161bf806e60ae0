/**
 * The search's cache: every (set of linearized operations, model state) pair already explored.
 * Reaching a pair again means the same future, already known to fail, so the search prunes it.
 *
 * An open-addressing hash set over flat typed arrays: a pair is stored as the bitset's words
 * followed by the state id, so adding allocates nothing except when the table grows. Hashes pick
 * the slot; equal hashes are confirmed by comparing the state ids (interned, see transitions.ts)
 * and the words.
 */
export class VisitedSet {
  size = 0;
  private readonly stride: number;
  private keys: Uint32Array;
  private hashes: Int32Array;
  /** Entry index + 1 per slot; 0 is an empty slot. */
  private slots: Int32Array;
  private mask: number;

  constructor(private readonly words: number, initialSlots = 1 << 12) {
    this.stride = words + 1;
    this.slots = new Int32Array(initialSlots);
    this.mask = initialSlots - 1;
    this.hashes = new Int32Array(initialSlots >>> 1);
    this.keys = new Uint32Array((initialSlots >>> 1) * this.stride);
  }

  /** Bytes held by the table's arrays. */
  get bytes(): number {
    return this.slots.byteLength + this.hashes.byteLength + this.keys.byteLength;
  }

  /** Adds the pair and returns true, or returns false if it was already there. */
  addIfAbsent(bits: Uint32Array, state: number, hash: number): boolean {
    const { slots, hashes, keys, stride, words } = this;
    let slot = hash & this.mask;
    for (let stored = slots[slot]!; stored !== 0; stored = slots[slot]!) {
      const entry = stored - 1;
      if (hashes[entry] === hash && keys[entry * stride + words] === state) {
        const base = entry * stride;
        let same = true;
        for (let w = 0; w < words; w++) {
          if (keys[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same) return false;
      }
      slot = (slot + 1) & this.mask;
    }
    this.insert(slot, bits, state, hash);
    return true;
  }

  private insert(slot: number, bits: Uint32Array, state: number, hash: number): void {
    const entry = this.size;
    if (entry === this.hashes.length) this.growEntries();
    const base = entry * this.stride;
    for (let w = 0; w < this.words; w++) this.keys[base + w] = bits[w]!;
    this.keys[base + this.words] = state;
    this.hashes[entry] = hash;
    this.slots[slot] = entry + 1;
    this.size++;
    // Keep the load factor under 1/2 so probe runs stay short.
    if (this.size * 2 > this.slots.length) this.growSlots();
  }

  private growEntries(): void {
    const hashes = new Int32Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const keys = new Uint32Array(hashes.length * this.stride);
    keys.set(this.keys);
    this.keys = keys;
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.size; entry++) {
      let slot = this.hashes[entry]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
