/**
 * The generic half on its own: plain data from any source (here shaped like a real cluster's run:
 * real ms, SIGKILL and SIGSTOP, a partition through an admin endpoint), and the folding of the
 * simulator's fault moments into network bands.
 */
import { describe, expect, it } from 'vitest';
import { raftsimKvModel } from '../../src/checker/index.js';
import { renderTimelineReport, type TimelineReportData } from '../../src/report/index.js';
import { networkEventsFromFaults } from '../../src/report/simEvents.js';

function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

const realCluster: TimelineReportData = {
  title: 'cluster run 2024-01-01 <b>',
  status: 'fail',
  summary: [['cluster', '3 processes'], ['operations', '3 (1 unknown)']],
  violation: { kind: 'linearizability', invariant: 'linearizability', message: 'stale read', time: 900, explanation: ['line one', 'line <two>'] },
  replay: null,
  timeUnit: 'ms',
  endTime: 1000,
  nodes: ['a', 'b', 'c'],
  nodeEvents: [
    { kind: 'role', node: 'a', t: 0, role: 'leader', term: 1 },
    { kind: 'role', node: 'b', t: 0, role: 'follower', term: 1 },
    { kind: 'role', node: 'c', t: 0, role: 'follower', term: 1 },
    { kind: 'down', node: 'a', start: 200, end: 400, cause: 'pause', detail: 'SIGSTOP' },
    { kind: 'role', node: 'b', t: 350, role: 'leader', term: 2 },
    { kind: 'down', node: 'c', start: 600, end: null, cause: 'kill', detail: 'SIGKILL' },
  ],
  networkEvents: [{ kind: 'partition', description: 'partition a | b,c', start: 100, end: 500, nodes: ['a'] }],
  markers: [{ t: 800, label: 'heal', kind: 'heal' }],
  operations: [
    { client: 1, call: 10, return: 50, input: { f: 'put', key: 'x', value: '1' }, output: {} },
    { client: 1, call: 60, return: null, input: { f: 'append', key: 'x', value: '2' }, output: null },
    { client: 2, call: 20, return: 40, input: { f: 'get', key: 'x' }, output: { value: null } },
  ],
  check: { model: raftsimKvModel as never, result: null, note: 'not checked here', explanation: [] },
  notes: ['roles polled every 50 ms'],
};

describe('renderTimelineReport', () => {
  it('draws any source: pauses and kills as down intervals, real ms, no replay command', () => {
    const html = renderTimelineReport(realCluster);
    expect(count(html, 'data-kind="role"')).toBe(4);
    expect(count(html, 'data-cause="pause"')).toBe(1);
    expect(count(html, 'data-cause="kill"')).toBe(1);
    expect(count(html, 'data-kind="restart"')).toBe(1); // the kill never came back
    expect(count(html, 'data-kind="network"')).toBe(1);
    expect(count(html, 'data-op="')).toBe(3);
    expect(count(html, 'data-kind="violation"')).toBe(1);
    expect(html).toContain('resumed at 400 ms');
    expect(html).toContain('not checked here');
    expect(html).not.toContain('class="replay"');
    expect(html).toContain('class="o append open" data-op="1"');
  });

  it('escapes every text it is given', () => {
    const html = renderTimelineReport(realCluster);
    expect(html).toContain('cluster run 2024-01-01 &lt;b&gt;');
    expect(html).toContain('line &lt;two&gt;');
    expect(html).not.toContain('2024-01-01 <b>');
    expect(html).not.toContain('<two>');
  });

  it('embeds the checker when there is a result, with the failing operation outlined', async () => {
    const { checkOperations } = await import('../../src/checker/index.js');
    const operations = [
      { client: 1, call: 0, return: 10, input: { f: 'put', key: 'x', value: '1' }, output: {} },
      { client: 2, call: 20, return: 30, input: { f: 'get', key: 'x' }, output: { value: null } },
    ];
    const result = checkOperations(raftsimKvModel, operations as never);
    expect(result.result).toBe('not-linearizable');
    const html = renderTimelineReport({ ...realCluster, operations, check: { model: raftsimKvModel as never, result, note: null, explanation: ['why'] } });
    expect(html).toContain('data-verdict="not-linearizable"');
    expect(html).toContain('class="o get blocked" data-op="1"');
    expect(html).toContain('srcdoc="&lt;!doctype html&gt;');
  });
});

describe('networkEventsFromFaults', () => {
  it('a partition replaces the blocks in force; heal ends blocks but not holds; release ends its hold', () => {
    const bands = networkEventsFromFaults([
      { t: 10, what: 'one-way n1->n2' },
      { t: 20, what: 'hold n3->n1' },
      { t: 30, what: 'partition n1 | n2,n3' },
      { t: 40, what: 'isolate n3' },
      { t: 50, what: 'crash n2 for 300 ms' },
      { t: 60, what: 'heal' },
      { t: 70, what: 'release n3->n1' },
      { t: 80, what: 'ring n1-n2-n3' },
      { t: 90, what: 'heal-all' },
    ]);
    expect(bands.map((b) => [b.description, b.start, b.end, b.nodes])).toEqual([
      ['one-way n1->n2', 10, 30, ['n1', 'n2']],
      ['hold n3->n1', 20, 70, ['n3', 'n1']],
      ['partition n1 | n2,n3', 30, 40, ['n1']],
      ['isolate n3', 40, 60, ['n3']],
      ['ring n1-n2-n3', 80, 90, []],
    ]);
  });

  it('leaves a fault open to the end when nothing ends it', () => {
    expect(networkEventsFromFaults([{ t: 5, what: 'bridge n2' }])).toEqual([
      { kind: 'bridge', description: 'bridge n2', start: 5, end: null, nodes: ['n2'] },
    ]);
  });
});
