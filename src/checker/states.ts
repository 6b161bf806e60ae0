/**
 * Model states interned as small integer ids: equal states get the same id, so the search
 * stores, hashes and compares ids, never states.
 *
 * Strings are kept as chains: a string is either a root (stored whole) or a parent id plus a
 * suffix. An append then costs O(1) however long the value: its content hash follows from the
 * parent's (polynomial hash: h(s + x) = h(s)·B^|x| + h(x)), and the string itself is only built
 * if someone asks for it. Equal strings reached by different routes (a put and a chain of
 * appends, two orders of appends that happen to spell the same text) still get one id: a hash
 * match is confirmed by comparing the contents segment by segment, so a collision never merges
 * two different states. Other primitives are map keys; objects are bucketed by the model's
 * `hash` and told apart with its `equal`.
 */
import type { FullModel } from './model.js';

/** Odd multiplier of the polynomial string hash (arithmetic mod 2^32). */
const BASE = 0x01000193;
const NO_PARENT = -1;
const NO_TEXT = -1;

/** The polynomial hash of a string and B^length, the factor that shifts a prefix past it. */
export interface StringHash {
  readonly hash: number;
  readonly shift: number;
}

export function hashOfString(text: string): StringHash {
  let hash = 0;
  let shift = 1;
  for (let i = 0; i < text.length; i++) {
    hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
    shift = Math.imul(shift, BASE);
  }
  return { hash, shift };
}

export class StateTable<S> {
  private count = 0;
  /** States that are not strings, by id. */
  private readonly others = new Map<number, S>();
  private readonly otherIds = new Map<unknown, number>();
  private readonly objectIds = new Map<number, number[]>();
  /** Strings built by valueOf, by id. */
  private readonly built = new Map<number, string>();
  /** The segments of string states: whole root strings and appended suffixes. */
  private readonly texts: string[] = [];
  /**
   * Per id: the parent id (NO_PARENT for a root), the segment's index in `texts` (NO_TEXT for
   * a state that is not a string), the content hash and the length. Only typed arrays per state:
   * growing plain arrays was a hot spot.
   */
  private parent: Int32Array = new Int32Array(64);
  private segment: Int32Array = new Int32Array(64);
  private contentHash: Int32Array = new Int32Array(64);
  private length: Int32Array = new Int32Array(64);
  /** Open addressing over string ids by (content hash, length): id + 1 per slot, 0 empty. */
  private slots: Int32Array = new Int32Array(256);
  private stringCount = 0;

  constructor(private readonly model: FullModel<S, unknown, unknown>) {}

  get size(): number {
    return this.count;
  }

  /** The id's hash spread over 32 bits, to combine with the linearized set's hash. */
  hashOf(id: number): number {
    return spread(id + 1);
  }

  isString(id: number): boolean {
    return this.segment[id] !== NO_TEXT;
  }

  /** Registers a suffix for `append`; returns its index. */
  addText(text: string): number {
    return this.texts.push(text) - 1;
  }

  /** The state with this id, building a chain string (and caching it) if needed. */
  valueOf(id: number): S {
    if (!this.isString(id)) return this.others.get(id)!;
    // Walk up to a root or a string already built, then build down (no recursion: chains can
    // be as long as the history).
    const path: number[] = [];
    let at = id;
    let text: string | undefined;
    for (; this.parent[at] !== NO_PARENT && (text = this.built.get(at)) === undefined; at = this.parent[at]!) {
      path.push(at);
    }
    text ??= this.texts[this.segment[at]!]!;
    for (let i = path.length - 1; i >= 0; i--) {
      text += this.texts[this.segment[path[i]!]!]!;
      this.built.set(path[i]!, text);
    }
    return text as S;
  }

  intern(state: S): number {
    if (typeof state === 'string') {
      return this.internString(hashOfString(state).hash, state.length, NO_PARENT, NO_TEXT, state);
    }
    if (typeof state !== 'object' || state === null) {
      let id = this.otherIds.get(state);
      if (id === undefined) this.otherIds.set(state, (id = this.addOther(state)));
      return id;
    }
    const hash = this.model.hash(state);
    let bucket = this.objectIds.get(hash);
    if (bucket === undefined) this.objectIds.set(hash, (bucket = []));
    for (const id of bucket) if (this.model.equal(this.others.get(id)!, state)) return id;
    const id = this.addOther(state);
    bucket.push(id);
    return id;
  }

  /** The id of string state `id` followed by suffix `text` (from addText, with its hash). */
  append(id: number, text: number, suffixHash: StringHash): number {
    const hash = (Math.imul(this.contentHash[id]!, suffixHash.shift) + suffixHash.hash) | 0;
    return this.internString(hash, this.length[id]! + this.texts[text]!.length, id, text, null);
  }

  /** A string state's id; a new root (`root` not null) or chain (`text` set) if it is new. */
  private internString(hash: number, length: number, parent: number, text: number, root: string | null): number {
    const mask = this.slots.length - 1;
    let slot = spread(hash ^ Math.imul(length, 0x9e3779b1)) & mask;
    for (let stored = this.slots[slot]!; stored !== 0; stored = this.slots[slot]!) {
      const id = stored - 1;
      if (this.contentHash[id] === hash && this.length[id] === length) {
        if (root === null ? this.sameText(id, parent, this.texts[text]!) : this.sameText(id, NO_PARENT, root)) {
          return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    const id = this.add();
    this.parent[id] = parent;
    this.segment[id] = root === null ? text : this.addText(root);
    this.contentHash[id] = hash;
    this.length[id] = length;
    this.slots[slot] = id + 1;
    // Keep the load factor under 1/2 so probe runs stay short.
    if (++this.stringCount * 2 > this.slots.length) this.growSlots();
    return id;
  }

  /**
   * Whether string `id` equals the string `parent` (or nothing) followed by `last`, given equal
   * lengths. The usual match is the same step taken again: same parent, same suffix, no scan.
   * Otherwise compare from the end, walking both chains.
   */
  private sameText(id: number, parent: number, last: string): boolean {
    const { texts } = this;
    let textA = texts[this.segment[id]!]!;
    if (this.parent[id] === parent && textA === last) return true;
    let a = this.parent[id]!;
    let atA = textA.length;
    let b = parent;
    let textB = last;
    let atB = textB.length;
    for (let left = this.length[id]!; left > 0; left--) {
      while (atA === 0) {
        textA = texts[this.segment[a]!]!;
        atA = textA.length;
        a = this.parent[a]!;
      }
      while (atB === 0) {
        textB = texts[this.segment[b]!]!;
        atB = textB.length;
        b = this.parent[b]!;
      }
      if (textA.charCodeAt(--atA) !== textB.charCodeAt(--atB)) return false;
    }
    return true;
  }

  private addOther(state: S): number {
    const id = this.add();
    this.segment[id] = NO_TEXT;
    this.others.set(id, state);
    return id;
  }

  private add(): number {
    const id = this.count++;
    if (id === this.parent.length) this.growPerState(id * 2);
    return id;
  }

  private growPerState(length: number): void {
    const grow = (from: Int32Array): Int32Array => {
      const to = new Int32Array(length);
      to.set(from);
      return to;
    };
    this.parent = grow(this.parent);
    this.segment = grow(this.segment);
    this.contentHash = grow(this.contentHash);
    this.length = grow(this.length);
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      if (this.segment[id] === NO_TEXT) continue;
      let slot = spread(this.contentHash[id]! ^ Math.imul(this.length[id]!, 0x9e3779b1)) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}

/** Murmur3's finalizer: spreads the bits of a 32-bit value over all 32 bits. */
function spread(value: number): number {
  let z = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}
