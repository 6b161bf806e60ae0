/**
 * Issue 8's faults on the timeline: a pause as a band on the node's row (like a down interval), a
 * slow disk and a stopped clock as bands along its row, clock jumps and sprung traps as marks,
 * delayed and replayed messages and cut-off clients on the network lane; with or without a trace.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenarios.js';
import { executeRun, type RunReport } from '../../src/harness/execute.js';
import { renderRunReport, runReportData } from '../../src/report/index.js';
import { tinyScenario } from '../sim/faultRuns.js';
import { NEW_FAULTS, newFaultsRun } from './runs.js';

async function report(keepTrace: boolean): Promise<RunReport> {
  return await executeRun({ scenario: tinyScenario(), scenarioRef: 'tiny', seed: 7, swarm: false, bug: null, faults: NEW_FAULTS }, { keepTrace });
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('the new faults on the timeline (from the trace)', async () => {
  const run = await newFaultsRun();
  const html = renderRunReport(run);
  const data = runReportData(run);

  it('the run passes (the faults are on the page, not in the verdict)', () => {
    expect(run.status).toBe('pass');
  });

  it('draws each pause as a band on its node\'s row, from pause to resume', () => {
    expect(count(html, 'data-cause="pause"')).toBe(2);
    const pauses = data.nodeEvents.filter((e) => e.kind === 'down' && e.cause === 'pause');
    expect(pauses.map((e) => e.kind === 'down' && [e.node, e.start, e.end])).toEqual([['n2', 600, 1000], ['n3', 700, 1000]]);
    expect(html).toMatch(/n2 down \(pause\): \d+ messages, requests and fsync completions waited for it/);
  });

  it('draws a slow disk and a stopped clock as bands, a forward clock jump as a mark', () => {
    expect(count(html, 'data-mark="slow-disk"')).toBe(1);
    expect(count(html, 'data-mark="clock-stopped"')).toBe(1);
    expect(count(html, 'data-mark="clock-jump"')).toBe(1);
    expect(html).toContain('n1: disk 20× slower\n1200–1700');
    expect(html).toContain('n2: clock jumped 100 ms forward: 10 ticks at once');
    expect(html).toContain('n3: clock jumped 200 ms back: no ticks until 1600\n1400–1600');
  });

  it('draws delayed messages from send to arrival, replays as moments, and clients cut off until the heal', () => {
    const delays = data.networkEvents.filter((e) => e.kind === 'delay');
    expect(delays.length).toBeGreaterThanOrEqual(1);
    for (const d of delays) {
      expect(d.description).toMatch(/^delayed n\d->n\d \w+ t\d+ \+700 ms$/);
      expect(d.end! - d.start).toBeGreaterThanOrEqual(701);
    }
    expect(count(html, 'data-net="delay"')).toBe(delays.length);
    const replays = data.networkEvents.filter((e) => e.kind === 'replay');
    expect(replays).toMatchObject([{ start: 1600, end: 1600, nodes: ['n1', 'n2'] }]);
    const cut = data.networkEvents.filter((e) => e.kind === 'clients-reach');
    expect(cut).toEqual([{ kind: 'clients-reach', description: 'clients reach n3 only', start: 1800, end: 2300, nodes: ['n3'] }]);
  });

  it('explains the new marks in the legend', () => {
    for (const word of ['paused', 'slow disk', 'clock jump', 'delayed message', 'replayed message', 'clients cut off']) expect(html).toContain(word);
  });

  it('is the same bytes for the same run', async () => {
    expect(renderRunReport(await report(true))).toBe(html);
  });
});

describe('the new faults on the timeline (from the fault plan)', () => {
  it('draws pauses, slow disks, clock jumps and client cuts as planned', async () => {
    const data = runReportData(await report(false));
    const kinds = data.nodeEvents.map((e) => (e.kind === 'mark' ? e.what : e.kind === 'down' ? e.cause : e.kind));
    expect(kinds).toEqual(['pause', 'pause', 'slow-disk', 'clock-jump', 'clock-stopped']);
    expect(data.networkEvents.filter((e) => e.kind === 'clients-reach').map((e) => [e.start, e.end])).toEqual([[1800, 2300]]);
  });
});

describe('a chaos run renders every fault it had', () => {
  it('has one pause band per pause interval and one mark per slow disk and clock jump', async () => {
    const run = await executeRun({ scenario: loadScenario('chaos'), scenarioRef: 'chaos', seed: 1, swarm: false, bug: null }, { keepTrace: true, skipCheck: true });
    const html = renderRunReport(run);
    const trace = run.sim.trace!;
    const started = trace.filter((r) => r.ev === 'pause').length;
    expect(started).toBeGreaterThan(0);
    // A pause extended by another one is one band.
    expect(count(html, 'data-cause="pause"')).toBeLessThanOrEqual(started);
    expect(count(html, 'data-cause="pause"')).toBeGreaterThan(0);
    expect(count(html, 'data-mark="slow-disk"')).toBe(trace.filter((r) => r.ev === 'slow-disk').length);
    expect(count(html, 'data-mark="clock-jump"') + count(html, 'data-mark="clock-stopped"')).toBe(trace.filter((r) => r.ev === 'clock-jump').length);
    expect(count(html, 'data-mark="trap"')).toBe(trace.filter((r) => r.ev === 'trap').length);
    expect(count(html, 'data-net="delay"')).toBe(trace.filter((r) => r.ev === 'delay').length);
  });
});
