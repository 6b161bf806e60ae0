/**
 * `raftsim-kv`: the specification of raftsim's own KV store (src/kv/types.ts), partitioned per key.
 * An absent key is distinct from "": the state of one key is its value, or null when absent.
 *
 * get(key) → {value: string | null}; put(key, value) → {}; append(key, value) → {} (on an absent
 * key it acts like put); delete(key) → {}; cas(key, expected, value) → {ok}: sets the key to
 * value iff its current value equals expected, where expected null means "the key is absent".
 */
import type { Model } from '../model.js';
import type { OperationInput, OperationOutput } from '../history.js';
import {
  expectField, firstError, isBoolean, isRecord, isString, isStringOrNull, quote, unknownOperation,
} from './fields.js';
import { partitionByKey } from './partitionByKey.js';

export type RaftsimKvInput =
  | { readonly f: 'get'; readonly key: string }
  | { readonly f: 'put'; readonly key: string; readonly value: string }
  | { readonly f: 'append'; readonly key: string; readonly value: string }
  | { readonly f: 'delete'; readonly key: string }
  | { readonly f: 'cas'; readonly key: string; readonly expected: string | null; readonly value: string };

export interface RaftsimKvOutput {
  readonly value?: string | null;
  readonly ok?: boolean;
}

const OPERATIONS = ['get', 'put', 'append', 'delete', 'cas'] as const;

export const raftsimKvModel: Model<string | null, RaftsimKvInput, RaftsimKvOutput> = {
  name: 'raftsim-kv',
  summary:
    'raftsim KV store, keys initially absent: get → {value|null}, put, append, delete → {}, ' +
    'cas(key, expected|null, value) → {ok}; per key',
  init: () => null,
  step(state, input, output) {
    switch (input.f) {
      case 'get':
        return { ok: output === null || output.value === state, state };
      case 'put':
        return { ok: true, state: input.value };
      case 'append':
        return { ok: true, state: (state ?? '') + input.value };
      case 'delete':
        return { ok: true, state: null };
      case 'cas': {
        const swapped = state === input.expected;
        return { ok: output === null || output.ok === swapped, state: swapped ? input.value : state };
      }
    }
  },
  partition: partitionByKey,
  preservesState: (input, output) => input.f === 'get' || (input.f === 'cas' && output?.ok === false),
  effect(input, output) {
    switch (input.f) {
      case 'get':
        if (output === null) return { kind: 'noop' };
        return output.value === undefined ? undefined : { kind: 'read', value: output.value };
      case 'put':
        return { kind: 'write', value: input.value };
      case 'append':
        // From an absent key, step makes it a put.
        return { kind: 'append', suffix: input.value };
      case 'delete':
        return { kind: 'write', value: null };
      case 'cas':
        return undefined;
    }
  },
  validate: validateRaftsimKv,
  describeOperation(input, output) {
    const key = quote(input.key);
    const unknown = output === null ? ' → ?' : '';
    switch (input.f) {
      case 'get':
        return `get(${key}) → ${output === null ? '?' : describeValue(output.value ?? null)}`;
      case 'put':
        return `put(${key}, ${quote(input.value)})${unknown}`;
      case 'append':
        return `append(${key}, ${quote(input.value)})${unknown}`;
      case 'delete':
        return `delete(${key})${unknown}`;
      case 'cas': {
        const result = output === null ? '?' : output.ok ? 'ok' : 'failed';
        return `cas(${key}, ${describeValue(input.expected)}, ${quote(input.value)}) → ${result}`;
      }
    }
  },
  describeState: describeValue,
};

function describeValue(value: string | null): string {
  return value === null ? 'absent' : quote(value);
}

function validateRaftsimKv(input: OperationInput, output: OperationOutput | null) {
  if (!(OPERATIONS as readonly unknown[]).includes(input.f)) {
    return unknownOperation('raftsim-kv', input.f, OPERATIONS);
  }
  const needsValue = input.f === 'put' || input.f === 'append' || input.f === 'cas';
  return firstError(
    () => expectField(input, 'input', 'key', 'a string', isString),
    () => (needsValue ? expectField(input, 'input', 'value', 'a string', isString) : null),
    () => (input.f === 'cas' ? expectField(input, 'input', 'expected', 'a string or null', isStringOrNull) : null),
    () => {
      if (output === null) return null;
      if (input.f === 'get') return expectField(output, 'output', 'value', 'a string or null', isStringOrNull);
      if (input.f === 'cas') return expectField(output, 'output', 'ok', 'a boolean', isBoolean);
      return isRecord(output) ? null : { field: 'output', message: 'expected {}' };
    },
  );
}
