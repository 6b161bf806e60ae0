/**
 * A made-up failing report for the page tests, cheap to build (no simulation): 12 clients on two
 * keys, where key "a" is fine and key "b" ends in a stale read near the end of the run, so its red
 * operation sits right of and below the first screen. Client 1's first put timed out twice (once
 * retried, then retried again) and client 2 gave up on its first operation.
 */
import { checkOperations, formatExplanation, raftsimKvModel, type Operation } from '../../src/checker/index.js';
import type { TimelineReportData } from '../../src/report/index.js';

const CLIENTS = 12;
const END = 10_000;

function operations(): Operation[] {
  const ops: Operation[] = [];
  for (let client = 1; client <= CLIENTS; client++) {
    for (let k = 0; k < 8; k++) {
      const call = 200 + k * 1100 + client * 7;
      const put = (client + k) % 2 === 0;
      ops.push({
        client, call, return: call + 400,
        input: put ? { f: 'put', key: 'a', value: `${client}.${k}` } : { f: 'get', key: 'a' },
        output: put ? {} : null,
      });
    }
  }
  // Key "b", on the last client: a put, then long after, a get that does not see it.
  // Client 2's first operation: it gave up (outcome unknown) at its return, after a time-out.
  ops[8] = { ...ops[8]!, output: null };
  ops.push({ client: CLIENTS, call: 9050, return: 9100, input: { f: 'put', key: 'b', value: '1' }, output: {} });
  ops.push({ client: CLIENTS, call: 9600, return: 9700, input: { f: 'get', key: 'b' }, output: { value: null } });
  return ops;
}

export function failingReport(): TimelineReportData {
  const ops = operations();
  const result = checkOperations(raftsimKvModel, ops as never);
  const explanation = formatExplanation(raftsimKvModel, ops as never, result);
  return {
    title: 'made-up run',
    status: 'fail',
    summary: Array.from({ length: 12 }, (_, i) => [`row ${i}`, 'a header tall enough to push the timeline down']),
    violation: { kind: 'linearizability', invariant: 'linearizability', message: 'stale read of b', time: 9700, explanation },
    replay: 'raftsim replay made-up --seed 1',
    timeUnit: 'ms',
    endTime: END,
    nodes: ['n1', 'n2', 'n3'],
    nodeEvents: ['n1', 'n2', 'n3'].map((node, i) => ({ kind: 'role' as const, node, t: 0, role: i === 0 ? 'leader' : 'follower', term: 1 })),
    networkEvents: [],
    markers: [],
    operations: ops,
    clientTimeouts: [
      { operation: 0, t: 350, attempt: 1, then: 'retry', seq: 1, node: 'n2' },
      { operation: 0, t: 500, attempt: 2, then: 'retry', seq: 1 },
      { operation: 8, t: 614, attempt: 1, then: 'give-up', seq: 1, node: 'n3' },
    ],
    check: { model: raftsimKvModel as never, result, note: null, explanation: [] },
    notes: [],
  };
}
