/**
 * The NodeDriver's Ready loop against a scripted node and recording ports: the order of work
 * ready.ts asks for, the observer's looks in that order, `persisted` as a new input, and `halt`.
 */
import { describe, expect, it } from 'vitest';
import { NodeDriver } from '../../src/driver/nodeDriver.js';
import type { DriverPorts } from '../../src/driver/ports.js';
import type { Message } from '../../src/raft/messages.js';
import type { RaftNodeApi } from '../../src/raft/node.js';
import type { Ready } from '../../src/raft/ready.js';

type Cmd = string;

function entry(index: number): { index: number; term: number; command: Cmd } {
  return { index, term: 1, command: `c${index}` };
}

const VOTE: Message<Cmd> = { type: 'RequestVote', from: 1, to: 2, term: 1, lastLogIndex: 0, lastLogTerm: 0 } as Message<Cmd>;

function ready(id: number | null, committed: number[]): Ready<Cmd> {
  return {
    persist: id === null ? null : { id, hardState: null, snapshot: null, entries: [entry(id)] },
    messages: [VOTE],
    snapshotToApply: null,
    committed: committed.map(entry),
  };
}

/** A node that hands out the Readies it is given, and logs its inputs. */
function scriptedNode(log: string[], readies: Ready<Cmd>[]): RaftNodeApi<Cmd> {
  return {
    tick: () => log.push('tick'),
    step: () => log.push('step'),
    persisted: (id: number) => log.push(`node.persisted ${id}`),
    hasReady: () => readies.length > 0,
    ready: () => readies.shift()!,
  } as unknown as RaftNodeApi<Cmd>;
}

function recordingPorts(log: string[]): DriverPorts<Cmd, string> {
  return {
    storage: { startPersist: (r) => log.push(`persist ${r.id}`), noteCommitted: (i) => log.push(`noteCommitted ${i}`) },
    transport: { send: (m) => log.push(`send ${m.type}`) },
    stateMachine: {
      applyReady: (r) => { log.push(`apply ${r.committed.map((e) => e.index).join(',')}`); return r.committed.map((e) => `ok ${e.index}`); },
      checkLeadership: () => { log.push('checkLeadership'); return ['retry']; },
    },
    answers: { answer: (responses) => log.push(`answer ${responses.join('|')}`) },
  };
}

describe('NodeDriver', () => {
  it('carries out each Ready in order: write, send, apply, answer; then checks leadership once', () => {
    const log: string[] = [];
    const driver = new NodeDriver(scriptedNode(log, [ready(1, []), ready(2, [1, 2])]), recordingPorts(log));
    driver.tick();
    expect(log).toEqual([
      'tick',
      'persist 1', 'send RequestVote', 'apply ', 'answer ',
      'persist 2', 'send RequestVote', 'apply 1,2', 'answer ok 1|ok 2', 'noteCommitted 2',
      'checkLeadership', 'answer retry',
    ]);
  });

  it('shows the observer each step in the order it happens', () => {
    const log: string[] = [];
    const ports = recordingPorts(log);
    const driver = new NodeDriver(scriptedNode(log, [ready(1, [1])]), {
      ...ports,
      observer: {
        readyTaken: () => log.push('readyTaken'),
        persistStarting: (r) => log.push(`persistStarting ${r.id}`),
        persistStarted: () => log.push('persistStarted'),
        sending: () => log.push('sending'),
        applying: () => log.push('applying'),
        applied: (_r, responses) => log.push(`applied ${responses.length}`),
        drained: () => log.push('drained'),
      },
    });
    driver.step(VOTE);
    expect(log).toEqual([
      'step', 'readyTaken', 'persistStarting 1', 'persist 1', 'persistStarted', 'sending', 'send RequestVote',
      'applying', 'apply 1', 'applied 1', 'answer ok 1', 'noteCommitted 1', 'checkLeadership', 'answer retry', 'drained',
    ]);
  });

  it('reports a durable write to the node as a new input, and drains after it', () => {
    const log: string[] = [];
    const driver = new NodeDriver(scriptedNode(log, []), recordingPorts(log));
    driver.persisted(7);
    expect(log).toEqual(['node.persisted 7', 'checkLeadership', 'answer retry']);
  });

  it('halted at a write (a crash), drops the rest of the Ready and every later input', () => {
    const log: string[] = [];
    const readies = [ready(1, [1]), ready(2, [2])];
    let driver: NodeDriver<Cmd, string> | null = null;
    driver = new NodeDriver(scriptedNode(log, readies), {
      ...recordingPorts(log),
      observer: { persistStarted: () => driver!.halt() },
    });
    driver.tick();
    expect(log).toEqual(['tick', 'persist 1']);
    expect(driver.isHalted).toBe(true);
    driver.tick();
    driver.persisted(1);
    expect(log).toEqual(['tick', 'persist 1']);
    expect(readies).toHaveLength(1);
  });
});
