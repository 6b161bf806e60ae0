import type { LogEntry } from './types.js';

/**
 * What an entry costs against the byte limits (config.ts): a deterministic estimate, not the size
 * on the wire. A fixed overhead (index, term, framing) plus about the length of the command as
 * JSON; the leader's no-op (null command) costs just the overhead. The core does no encoding (see
 * test/architecture.test.ts), so the command is measured by walking it: strings by their length
 * in UTF-16 code units, numbers by their decimal form. Close enough for a bound, and the same on
 * every run and every node.
 */
export const ENTRY_OVERHEAD_BYTES = 16;

/** Deeper than this a command is not walked further (a bound on the walk, not a real size). */
const MAX_DEPTH = 32;

/** Entries are shared and never mutated, so each is measured once (on first use) and remembered. */
const measured = new WeakMap<LogEntry<unknown>, number>();

export function entrySize<C>(entry: LogEntry<C>): number {
  let size = measured.get(entry);
  if (size === undefined) {
    size = ENTRY_OVERHEAD_BYTES + (entry.command === null ? 0 : valueSize(entry.command, 0));
    measured.set(entry, size);
  }
  return size;
}

/** About the length of `value` as JSON (`"…"` for strings, `[…,…]`, `{"k":…}`). */
export function valueSize(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value).length;
    case 'object': {
      if (value === null) return 4;
      if (depth >= MAX_DEPTH) return 0;
      // Brackets, plus a comma between items; a field adds its quoted key and a colon.
      let size = 2;
      let items = 0;
      if (Array.isArray(value)) {
        for (const item of value) (size += valueSize(item, depth + 1), items++);
      } else {
        for (const [key, item] of Object.entries(value)) {
          if (item !== undefined) (size += key.length + 3 + valueSize(item, depth + 1), items++);
        }
      }
      return items === 0 ? size : size + items - 1;
    }
    default:
      // undefined, functions and symbols have no JSON form.
      return 0;
  }
}
