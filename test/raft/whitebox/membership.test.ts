import { describe, expect, it } from 'vitest';
import { ConfigHistory } from '../../../src/raft/configHistory.js';
import { MAX_MEMBERS, applyChange, configProblem } from '../../../src/raft/membership.js';
import { RaftLog } from '../../../src/raft/log.js';
import type { ClusterConfig, LogEntry } from '../../../src/raft/types.js';

const three: ClusterConfig = { voters: [1, 2, 3], learners: [] };

describe('applyChange: one server at a time', () => {
  it('adds a learner, promotes it, removes voters and learners, keeping both lists sorted', () => {
    const withLearner = applyChange(three, { type: 'add-learner', node: 0 + 4 });
    expect(withLearner).toEqual({ voters: [1, 2, 3], learners: [4] });
    const promoted = applyChange(withLearner as ClusterConfig, { type: 'promote', node: 4 });
    expect(promoted).toEqual({ voters: [1, 2, 3, 4], learners: [] });
    expect(applyChange(promoted as ClusterConfig, { type: 'remove', node: 2 })).toEqual({ voters: [1, 3, 4], learners: [] });
    expect(applyChange(withLearner as ClusterConfig, { type: 'remove', node: 4 })).toEqual(three);
  });

  it('refuses changes that are none, and the last voter’s removal', () => {
    expect(applyChange(three, { type: 'add-learner', node: 3 })).toBe('no-such-change');
    expect(applyChange(three, { type: 'promote', node: 3 })).toBe('no-such-change');
    expect(applyChange(three, { type: 'remove', node: 7 })).toBe('no-such-change');
    expect(applyChange({ voters: [5], learners: [6] }, { type: 'remove', node: 5 })).toBe('would-break-cluster');
  });

  it('refuses a member past MAX_MEMBERS', () => {
    const full: ClusterConfig = { voters: [1], learners: Array.from({ length: MAX_MEMBERS - 1 }, (_, k) => k + 2) };
    expect(configProblem(full)).toBeNull();
    expect(applyChange(full, { type: 'add-learner', node: 1000 })).toBe('would-break-cluster');
  });

  it('configProblem names what is wrong', () => {
    expect(configProblem({ voters: [], learners: [] })).toMatch(/at least one voter/);
    expect(configProblem({ voters: [2, 1], learners: [] })).toMatch(/sorted/);
    expect(configProblem({ voters: [1, 1], learners: [] })).toMatch(/sorted and not repeat/);
    expect(configProblem({ voters: [1, 2], learners: [2] })).toMatch(/both voter and learner/);
    expect(configProblem({ voters: [0], learners: [] })).toMatch(/positive integers/);
  });
});

function configEntry(index: number, term: number, config: ClusterConfig): LogEntry<string> {
  return { index, term, command: null, config };
}

describe('ConfigHistory through RaftLog (thesis §4.1: the latest configuration in the log is in force)', () => {
  const a: ClusterConfig = { voters: [1, 2, 3], learners: [4] };
  const b: ClusterConfig = { voters: [1, 2, 3, 4], learners: [] };

  it('follows appends, reverts on truncation, folds into the base on compaction', () => {
    const log = new RaftLog<string>(0, 0, [], three);
    log.append([{ index: 1, term: 1, command: null }, configEntry(2, 1, a), { index: 3, term: 1, command: 'x' }, configEntry(4, 1, b)], 0);
    expect(log.config).toBe(b);
    expect(log.configIndex).toBe(4);
    expect(log.configAt(3)).toBe(a);
    expect(log.configAt(1)).toBe(three);
    log.truncateFrom(4);
    expect(log.config).toBe(a);
    log.compact(3);
    expect(log.config).toBe(a);
    expect(log.configIndex).toBe(0);
    log.truncateFrom(4);
    expect(log.config).toBe(a);
  });

  it('a restored snapshot replaces the base, and drops the entries of a discarded log', () => {
    const log = new RaftLog<string>(0, 0, [configEntry(1, 1, a), configEntry(2, 1, b)], three);
    expect(log.restoreSnapshot(1, 1, a)).toBe(true);
    expect(log.config).toBe(b);
    expect(log.restoreSnapshot(5, 2, three)).toBe(false);
    expect(log.config).toBe(three);
    expect(log.configIndex).toBe(0);
  });

  it('asserts configuration entries come in index order', () => {
    const history = new ConfigHistory(three);
    history.appended(configEntry(5, 1, a));
    expect(() => history.appended(configEntry(5, 1, b))).toThrow(/out of order/);
  });
});
