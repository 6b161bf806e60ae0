/** The models the CLI and `parseHistory` know by name. */
import type { AnyModel } from '../model.js';
import { kvModel } from './kv.js';
import { raftsimKvModel } from './raftsimKv.js';
import { registerModel } from './register.js';

const MODELS: readonly AnyModel[] = [registerModel, kvModel, raftsimKvModel];

export function findModel(name: string): AnyModel | undefined {
  return MODELS.find((model) => model.name === name);
}

export function modelNames(): string[] {
  return MODELS.map((model) => model.name);
}

/** One line per model, `name: summary`, for `--model` help. */
export function describeModels(): string[] {
  return MODELS.map((model) => `${model.name}: ${model.summary ?? ''}`);
}
