/** Small checks shared by the models' `validate`, each naming the field it rejects. */
import type { ValidationError } from '../model.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** The error for `owner.field` unless `accept(owner[field])` holds. */
export function expectField(
  owner: Record<string, unknown>,
  path: string,
  field: string,
  expected: string,
  accept: (value: unknown) => boolean,
): ValidationError | null {
  if (!(field in owner)) return { field: `${path}.${field}`, message: `missing, expected ${expected}` };
  const value = owner[field];
  if (accept(value)) return null;
  return { field: `${path}.${field}`, message: `expected ${expected}, got ${describeType(value)}` };
}

export const isString = (value: unknown): boolean => typeof value === 'string';
export const isStringOrNull = (value: unknown): boolean => value === null || typeof value === 'string';
export const isBoolean = (value: unknown): boolean => typeof value === 'boolean';
export const isNaturalNumber = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
export const isNaturalOrNull = (value: unknown): boolean => value === null || isNaturalNumber(value);

/** The error for an `f` the model does not know. */
export function unknownOperation(model: string, f: unknown, known: readonly string[]): ValidationError {
  return {
    field: 'input.f',
    message: `unknown operation ${JSON.stringify(f)} for model ${model} (expected ${known.join(', ')})`,
  };
}

/** Runs checks in order and returns the first error. */
export function firstError(...checks: Array<() => ValidationError | null>): ValidationError | null {
  for (const check of checks) {
    const error = check();
    if (error) return error;
  }
  return null;
}

/** Quotes a string for descriptions, shortened so long appended values stay readable. */
export function quote(text: string, maxChars = 40): string {
  const shown = text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
  return JSON.stringify(shown);
}
