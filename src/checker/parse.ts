/**
 * Reading a history file. Every problem comes back as a `HistoryError` with one line that names
 * the operation index and field, never as an exception, so the CLI can print it and exit 2.
 */
import type { History, HistoryError, Operation, OperationInput, OperationOutput } from './history.js';
import type { AnyModel } from './model.js';
import { describeType, isRecord } from './models/fields.js';
import { findModel, modelNames } from './models/registry.js';

export type ParseResult =
  | { readonly ok: true; readonly history: History; readonly model: AnyModel }
  | { readonly ok: false; readonly error: HistoryError };

export interface ParseOptions {
  /** Use this model (a name or a model) instead of the file's `model` field. */
  readonly model?: string | AnyModel;
}

/** Parses and validates the JSON text of a history. */
export function parseHistory(text: string, options: ParseOptions = {}): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return failure({ message: `malformed JSON: ${reason}` });
  }
  return validateHistory(value, options);
}

/** Validates an already parsed history object. */
export function validateHistory(value: unknown, options: ParseOptions = {}): ParseResult {
  if (!isRecord(value)) return failure({ message: `expected a JSON object, got ${describeType(value)}` });
  const model = resolveModel(value.model, options.model);
  if ('error' in model) return failure(model.error);
  if (!Array.isArray(value.operations)) {
    const got = 'operations' in value ? `got ${describeType(value.operations)}` : 'it is missing';
    return failure({ message: `"operations" must be an array, ${got}`, field: 'operations' });
  }
  const operations: Operation[] = [];
  for (let index = 0; index < value.operations.length; index++) {
    const checked = validateOperation(value.operations[index], index, model.model);
    if ('error' in checked) return failure(checked.error);
    operations.push(checked.operation);
  }
  const overlap = findClientOverlap(operations);
  if (overlap) return failure(overlap);
  return { ok: true, history: { model: model.model.name, operations }, model: model.model };
}

function failure(error: HistoryError): ParseResult {
  return { ok: false, error };
}

function resolveModel(field: unknown, override: string | AnyModel | undefined):
  { model: AnyModel } | { error: HistoryError } {
  if (typeof override === 'object') return { model: override };
  const name = override ?? field;
  if (typeof name !== 'string') {
    const got = field === undefined ? 'it is missing' : `got ${describeType(field)}`;
    return { error: { message: `"model" must be a string, ${got}`, field: 'model' } };
  }
  const model = findModel(name);
  if (model) return { model };
  const known = modelNames().join(', ');
  return { error: { message: `unknown model ${JSON.stringify(name)} (known: ${known})`, field: 'model' } };
}

function validateOperation(value: unknown, index: number, model: AnyModel):
  { operation: Operation } | { error: HistoryError } {
  const at = (field: string, message: string): { error: HistoryError } => ({
    error: { message: `operations[${index}]${field ? `.${field}` : ''}: ${message}`, operation: index, field },
  });
  if (!isRecord(value)) return at('', `expected an object, got ${describeType(value)}`);
  for (const field of ['client', 'call'] as const) {
    if (!(field in value)) return at(field, 'missing, expected an integer');
    if (!Number.isSafeInteger(value[field])) return at(field, `expected an integer, got ${describeType(value[field])}`);
  }
  if (!('return' in value)) return at('return', 'missing, expected an integer or null');
  const returned = value.return;
  if (returned !== null && !Number.isSafeInteger(returned)) {
    return at('return', `expected an integer or null, got ${describeType(returned)}`);
  }
  const call = value.call as number;
  if (returned !== null && (returned as number) < call) {
    return at('return', `returns at ${returned as number}, before its call at ${call}`);
  }
  if (!isRecord(value.input)) {
    return at('input', 'input' in value ? `expected an object, got ${describeType(value.input)}` : 'missing');
  }
  if (typeof value.input.f !== 'string') return at('input.f', `expected a string, got ${describeType(value.input.f)}`);
  if (!('output' in value)) return at('output', 'missing, expected an object or null');
  if (value.output !== null && !isRecord(value.output)) {
    return at('output', `expected an object or null, got ${describeType(value.output)}`);
  }
  const input = value.input as OperationInput;
  const output = value.output as OperationOutput | null;
  const invalid = model.validate?.(input, output);
  if (invalid) return at(invalid.field, invalid.message);
  return {
    operation: { client: value.client as number, call, return: returned as number | null, input, output },
  };
}

/** A client has one operation outstanding at a time: each call comes at or after its previous return. */
function findClientOverlap(operations: readonly Operation[]): HistoryError | null {
  const byClient = new Map<number, number[]>();
  operations.forEach((operation, index) => {
    const indices = byClient.get(operation.client);
    if (indices) indices.push(index);
    else byClient.set(operation.client, [index]);
  });
  for (const [client, indices] of byClient) {
    indices.sort((a, b) => operations[a]!.call - operations[b]!.call || a - b);
    for (let k = 1; k < indices.length; k++) {
      const before = operations[indices[k - 1]!]!;
      const after = operations[indices[k]!]!;
      if (before.return !== null && before.return <= after.call) continue;
      const pending = before.return === null ? 'never returned' : `returned at ${before.return}`;
      return {
        message:
          `client ${client} has two operations outstanding at once: operations[${indices[k - 1]}] ` +
          `(${pending}) and operations[${indices[k]}] (called at ${after.call})`,
        operation: indices[k]!,
        field: 'client',
      };
    }
  }
  return null;
}
