/**
 * `kv`: string keys to string values, every key initially "" (README of the histories, Porcupine's
 * kv test model). get(key) → {value}; put(key, value) → {}; append(key, value) → {}. Partitioned
 * per key; the state of one part is the key's value.
 */
import type { Model } from '../model.js';
import type { OperationInput, OperationOutput } from '../history.js';
import { expectField, firstError, isRecord, isString, quote, unknownOperation } from './fields.js';
import { partitionByKey } from './partitionByKey.js';

export type KvInput =
  | { readonly f: 'get'; readonly key: string }
  | { readonly f: 'put'; readonly key: string; readonly value: string }
  | { readonly f: 'append'; readonly key: string; readonly value: string };

export interface KvOutput {
  readonly value?: string;
}

const OPERATIONS = ['get', 'put', 'append'] as const;

export const kvModel: Model<string, KvInput, KvOutput> = {
  name: 'kv',
  summary:
    'string keys, each initially "": get(key) → {value}, put(key, value) → {}, ' +
    'append(key, value) → {}; per key',
  init: () => '',
  step(state, input, output) {
    switch (input.f) {
      case 'get':
        return { ok: output === null || output.value === state, state };
      case 'put':
        return { ok: true, state: input.value };
      case 'append':
        return { ok: true, state: state + input.value };
    }
  },
  partition: partitionByKey,
  preservesState: (input) => input.f === 'get',
  effect(input, output) {
    switch (input.f) {
      case 'get':
        if (output === null) return { kind: 'noop' };
        return typeof output.value === 'string' ? { kind: 'read', value: output.value } : undefined;
      case 'put':
        return { kind: 'write', value: input.value };
      case 'append':
        return { kind: 'append', suffix: input.value };
    }
  },
  validate: validateKv,
  describeOperation(input, output) {
    const unknown = output === null ? ' → ?' : '';
    switch (input.f) {
      case 'get':
        return `get(${quote(input.key)}) → ${output === null ? '?' : quote(output.value ?? '')}`;
      case 'put':
        return `put(${quote(input.key)}, ${quote(input.value)})${unknown}`;
      case 'append':
        return `append(${quote(input.key)}, ${quote(input.value)})${unknown}`;
    }
  },
  describeState: (state) => quote(state),
};

function validateKv(input: OperationInput, output: OperationOutput | null) {
  if (!(OPERATIONS as readonly unknown[]).includes(input.f)) return unknownOperation('kv', input.f, OPERATIONS);
  return firstError(
    () => expectField(input, 'input', 'key', 'a string', isString),
    () => (input.f === 'get' ? null : expectField(input, 'input', 'value', 'a string', isString)),
    () => {
      if (output === null) return null;
      if (input.f === 'get') return expectField(output, 'output', 'value', 'a string', isString);
      return isRecord(output) ? null : { field: 'output', message: 'expected {}' };
    },
  );
}
