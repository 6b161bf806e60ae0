/**
 * Terminal manners and failure lines, in-process: colour choice, yargs' messages on one line, an
 * unknown command named, numeric options echoed when bad, the headline of a violation, check's
 * totals, and replay --verbose's filters.
 */
import chalk from 'chalk';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOperations, raftsimKvModel } from '../../src/checker/index.js';
import type { Operation } from '../../src/checker/index.js';
import { formatTotals } from '../../src/cli/check.js';
import { COMMAND_NAMES } from '../../src/cli/commands.js';
import { parseDecimal, parseInteger } from '../../src/cli/options.js';
import { violationHeadline } from '../../src/cli/report.js';
import { colorAllowed, oneLine, unknownCommandProblem } from '../../src/cli/terminal.js';
import { formatTrace } from '../../src/cli/traceView.js';
import { linearizabilityViolation } from '../../src/harness/linearizabilityViolation.js';
import type { TraceRecord } from '../../src/sim/trace.js';

beforeAll(() => {
  // Trace lines are matched as plain text, whatever FORCE_COLOR the test runner has.
  chalk.level = 0;
});

describe('colour', () => {
  it.each([
    [[], {}, true],
    [[], { NO_COLOR: '1' }, false],
    [[], { NO_COLOR: '' }, true],
    [['--no-color'], {}, false],
    [['run', '--color=false'], { FORCE_COLOR: '1' }, false],
    [['--color'], { NO_COLOR: '1' }, true],
    [[], { NO_COLOR: '1', FORCE_COLOR: '1' }, true],
    [[], { NO_COLOR: '1', FORCE_COLOR: '0' }, false],
    [['--', '--color'], { NO_COLOR: '1' }, false],
  ] as const)('args %j, env %j: colour allowed %s', (args, env, allowed) => {
    expect(colorAllowed(args, env)).toBe(allowed);
  });
});

describe('messages', () => {
  it('keeps the whole of a yargs message, on one line', () => {
    expect(oneLine('Invalid values:\n  Argument: op, Given: "frob", Choices: "get", "put"'))
      .toBe('Invalid values: Argument: op, Given: "frob", Choices: "get", "put"');
    expect(oneLine('Unknown argument: x\nMissing required argument: seed')).toBe('Unknown argument: x; Missing required argument: seed');
  });

  it('names an unknown command as such, suggesting a near one only', () => {
    expect(unknownCommandProblem(['frob'], COMMAND_NAMES)).toBe(`unknown command: frob; the commands are ${COMMAND_NAMES.join(', ')} (raftsim --help)`);
    expect(unknownCommandProblem(['bugz', '--json'], COMMAND_NAMES)).toMatch(/^unknown command: bugz \(did you mean bugs\?\); /);
    expect(unknownCommandProblem(['--no-color', 'replya'], COMMAND_NAMES)).toMatch(/^unknown command: replya \(did you mean replay\?\)/);
    for (const args of [['run', 'x'], ['--help'], [], ['--no-color', 'fuzz']]) expect(unknownCommandProblem(args, COMMAND_NAMES)).toBeNull();
  });

  it('echoes a bad number and says what it must be', () => {
    expect(parseInteger('--seed', '17', { min: 0 })).toBe(17);
    expect(() => parseInteger('--seed', 'abc', { min: 0 })).toThrow('--seed: not an integer: abc');
    expect(() => parseInteger('--seed', '1.5')).toThrow('--seed: not an integer: 1.5');
    expect(() => parseInteger('--seed', '-4', { min: 0 })).toThrow('--seed: must be ≥ 0, got -4');
    expect(() => parseInteger('--nodes', '12', { min: 1, max: 9 })).toThrow('--nodes: must be ≤ 9, got 12');
    expect(() => parseInteger('--seed', ['1', '2'])).toThrow('--seed: given 2 times (1, 2); give it once');
    expect(() => parseInteger('--seed', '')).toThrow('--seed: not an integer: (nothing)');
    expect(() => parseInteger('--seed', true)).toThrow('--seed: not an integer: (nothing)');
    expect(() => parseInteger('--seed', '99999999999999999999')).toThrow('--seed: not an integer: 99999999999999999999');
    expect(parseDecimal('--from', '4000.5', { min: 0 })).toBe(4000.5);
    expect(() => parseDecimal('--from', '4s', { min: 0 })).toThrow('--from: not a number: 4s');
    expect(() => parseDecimal('--from', 'Infinity')).toThrow('--from: not a number: Infinity');
    expect(() => parseDecimal('--rate', '0', { min: 0, aboveMin: true })).toThrow('--rate: must be > 0, got 0');
  });
});

describe('failure lines', () => {
  const put = (client: number, call: number, ret: number, value: string): Operation =>
    ({ client, call, return: ret, input: { f: 'put', key: 'x', value }, output: {} });
  const get = (client: number, call: number, ret: number, value: string): Operation =>
    ({ client, call, return: ret, input: { f: 'get', key: 'x' }, output: { value } });

  it('blames the operation that could not be placed, with its call and return times', () => {
    const operations = [put(1, 0, 10, '1'), get(2, 5752, 5784, '3'), put(1, 6000, 6010, '3')];
    const check = checkOperations(raftsimKvModel, operations as never);
    expect(check.result).toBe('not-linearizable');
    const v = linearizabilityViolation(operations, check, 20_250);
    expect(v.operation).toEqual({ part: 'key "x"', index: 1, client: 2, callMs: 5752, returnMs: 5784, description: 'get("x") → "3"' });
    expect(v.timeMs).toBe(5784);
    expect(violationHeadline(v)).toBe(
      'linearizability at 5752–5784 ms: key "x" is not linearizable: client 2\'s get("x") → "3" (op 1) fits no order of the operations before its return');
  });

  it('says kind and invariant once each, at the time of a safety violation', () => {
    expect(violationHeadline({ kind: 'safety', invariant: 'election-safety', message: 'two leaders in term 4', timeMs: 812 }))
      .toBe('safety: election-safety at 812 ms: two leaders in term 4');
  });

  it('check totals many histories, and not one', () => {
    const verdicts = (...results: string[]) => results.map((result) => ({ result: { result } })) as never;
    expect(formatTotals(verdicts('linearizable', 'not-linearizable', 'unknown', 'linearizable')))
      .toBe('4 histories: 2 linearizable, 1 not linearizable, 1 unknown\n');
    expect(formatTotals(verdicts('linearizable'))).toBe('');
  });
});

describe('replay --verbose filters', () => {
  const trace: TraceRecord[] = [
    { t: 1, ev: 'call', client: 1, seq: 1, node: 2, op: 'get k1' },
    { t: 2, ev: 'call', client: 2, seq: 1, node: 2, op: 'put k2 "a"' },
    { t: 3, ev: 'send', node: 2, msg: 'n2->n1 AppendEntries' },
    { t: 4, ev: 'apply', node: 2, index: 3, term: 1, op: 'client 1002 seq 1 put k2 "a"' },
    { t: 5, ev: 'fault', what: 'crash n3 for 100 ms' },
    { t: 6, ev: 'timeout', client: 1, seq: 1, node: 2 },
    { t: 7, ev: 'return', client: 2, seq: 1, node: 2, output: '{}' },
    { t: 8, ev: 'timeout', client: 2 },
  ];
  const times = (filter: Parameters<typeof formatTrace>[1]) => formatTrace(trace, filter).map((line) => Number(line.trim().split(' ')[0]));

  it('keeps one client\'s calls, answers, time-outs and applies (a renewed session counts as its client), and the faults', () => {
    expect(times({ client: 2 })).toEqual([2, 4, 5, 7, 8]);
  });

  it('keeps the operations on one key, their answers found through the call', () => {
    expect(times({ key: 'k1' })).toEqual([1, 5, 6]);
    expect(times({ key: 'k2' })).toEqual([2, 4, 5, 7]);
  });

  it('keeps the event kinds named, and combines filters', () => {
    expect(times({ kinds: ['timeout', 'fault'] })).toEqual([5, 6, 8]);
    expect(times({ kinds: ['timeout'], client: 1 })).toEqual([6]);
    expect(times({ kinds: ['call'], fromMs: 2 })).toEqual([2]);
  });

  it('gives a time-out its seq and the node it waited on', () => {
    const [line] = formatTrace(trace, { kinds: ['timeout'], client: 1 });
    expect(line).toMatch(/n2 +timeout +client 1 seq 1 times out waiting for n2 and resends it$/);
  });
});
