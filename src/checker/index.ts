/**
 * raftsim's linearizability checker, as a library: `import { checkHistory, models } from
 * 'raftsim/checker'`. Nothing here imports the rest of raftsim (test/architecture.test.ts).
 *
 * - checkHistory(history, model, options?): the verdict, the operations to blame, the explanation.
 * - models: register, kv, raftsimKv; or write a `Model` (name, init, step) of your own.
 * - renderHtml / renderCheckPage: a self-contained HTML page of one or many checked histories.
 * - Lower level: parseHistory / validateHistory (JSON files), checkOperations, formatExplanation.
 *
 * A history is a list of operations `{client, call, return, input: {f, ...}, output}`; `return:
 * null` means it never returned, `output: null` that its outcome is unknown (see history.ts).
 */
export type { CheckHistoryOptions, HistoryLike, HistoryVerdict, OffendingOperation } from './library.js';
export { checkHistory, HistoryValidationError, models } from './library.js';
export type { History, HistoryError, Operation, OperationInput, OperationOutput } from './history.js';
export type { AnyModel, Effect, FullModel, Model, Part, StepResult, ValidationError } from './model.js';
export { fillDefaults } from './model.js';
export type { ParseOptions, ParseResult } from './parse.js';
export { parseHistory, validateHistory } from './parse.js';
export type { CheckOptions, CheckResult, PartResult } from './check.js';
export { checkOperations, DEFAULT_MAX_MEMORY_BYTES } from './check.js';
export { CheckerInvariantError } from './assert.js';
export type { Verdict } from './search.js';
export type { BlamedOperation, FormatOptions, PartFailure, PendingOperation } from './explain.js';
export { blamedOperations, formatExplanation } from './explain.js';
export { describeModels, findModel, modelNames } from './models/registry.js';
export { registerModel } from './models/register.js';
export type { RegisterInput, RegisterOutput } from './models/register.js';
export { kvModel } from './models/kv.js';
export type { KvInput, KvOutput } from './models/kv.js';
export { raftsimKvModel } from './models/raftsimKv.js';
export type { RaftsimKvInput, RaftsimKvOutput } from './models/raftsimKv.js';
export type { DrawnHistory, HtmlSection } from './visualize.js';
export { renderCheckPage, renderHtml, renderHtmlReport } from './visualize.js';
