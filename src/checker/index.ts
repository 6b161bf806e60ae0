/** The checker's public API. Nothing here imports the rest of raftsim. */
export type { History, HistoryError, Operation, OperationInput, OperationOutput } from './history.js';
export type { AnyModel, FullModel, Model, Part, StepResult, ValidationError } from './model.js';
export { fillDefaults } from './model.js';
export type { ParseOptions, ParseResult } from './parse.js';
export { parseHistory, validateHistory } from './parse.js';
export type { CheckOptions, CheckResult, PartResult } from './check.js';
export { checkOperations } from './check.js';
export type { Verdict } from './search.js';
export type { FormatOptions, PartFailure, PendingOperation } from './explain.js';
export { formatExplanation } from './explain.js';
export { describeModels, findModel, modelNames } from './models/registry.js';
export { registerModel } from './models/register.js';
export type { RegisterInput, RegisterOutput } from './models/register.js';
export { kvModel } from './models/kv.js';
export type { KvInput, KvOutput } from './models/kv.js';
export { raftsimKvModel } from './models/raftsimKv.js';
export type { RaftsimKvInput, RaftsimKvOutput } from './models/raftsimKv.js';
