/**
 * `register`: one integer register, initially absent (README of the histories).
 * read → {value: N | null}; write(value) → {}; cas(from, to) → {ok}. An absent register equals
 * no integer, so a cas on it fails. The state is a number; -1 stands for absent, which is safe
 * because `validate` only admits non-negative values.
 */
import type { Model } from '../model.js';
import type { OperationInput, OperationOutput } from '../history.js';
import {
  expectField, firstError, isBoolean, isNaturalNumber, isNaturalOrNull, isRecord, unknownOperation,
} from './fields.js';

export type RegisterInput =
  | { readonly f: 'read' }
  | { readonly f: 'write'; readonly value: number }
  | { readonly f: 'cas'; readonly from: number; readonly to: number };

export interface RegisterOutput {
  readonly value?: number | null;
  readonly ok?: boolean;
}

const ABSENT = -1;
const OPERATIONS = ['read', 'write', 'cas'] as const;

export const registerModel: Model<number, RegisterInput, RegisterOutput> = {
  name: 'register',
  summary: 'one integer register, initially absent: read → {value}, write(value) → {}, cas(from, to) → {ok}',
  init: () => ABSENT,
  step(state, input, output) {
    switch (input.f) {
      case 'read':
        return { ok: output === null || (output.value ?? ABSENT) === state, state };
      case 'write':
        return { ok: true, state: input.value };
      case 'cas': {
        const swapped = state === input.from;
        return { ok: output === null || output.ok === swapped, state: swapped ? input.to : state };
      }
    }
  },
  preservesState: (input, output) => input.f === 'read' || (input.f === 'cas' && output?.ok === false),
  effect(input, output) {
    switch (input.f) {
      case 'read':
        return output === null ? { kind: 'noop' } : { kind: 'read', value: output.value ?? ABSENT };
      case 'write':
        return { kind: 'write', value: input.value };
      case 'cas':
        return undefined;
    }
  },
  validate: validateRegister,
  describeOperation(input, output) {
    switch (input.f) {
      case 'read':
        return `read() → ${output === null ? '?' : describeValue(output.value ?? ABSENT)}`;
      case 'write':
        return `write(${input.value})${output === null ? ' → ?' : ''}`;
      case 'cas':
        return `cas(${input.from}, ${input.to}) → ${output === null ? '?' : output.ok ? 'ok' : 'failed'}`;
    }
  },
  describeState: describeValue,
};

function describeValue(value: number): string {
  return value === ABSENT ? 'absent' : String(value);
}

function validateRegister(input: OperationInput, output: OperationOutput | null) {
  switch (input.f) {
    case 'read':
      if (output === null) return null;
      return expectField(output, 'output', 'value', 'an integer ≥ 0 or null', isNaturalOrNull);
    case 'write':
      return firstError(
        () => expectField(input, 'input', 'value', 'an integer ≥ 0', isNaturalNumber),
        () => (output === null || isRecord(output) ? null : { field: 'output', message: 'expected {}' }),
      );
    case 'cas':
      return firstError(
        () => expectField(input, 'input', 'from', 'an integer ≥ 0', isNaturalNumber),
        () => expectField(input, 'input', 'to', 'an integer ≥ 0', isNaturalNumber),
        () => (output === null ? null : expectField(output, 'output', 'ok', 'a boolean', isBoolean)),
      );
    default:
      return unknownOperation('register', input.f, OPERATIONS);
  }
}
