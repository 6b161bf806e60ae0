/**
 * Whole simulated runs on the real storage engine (disk.storage "engine", the default): they are
 * deterministic, the recovery check fires on a broken engine, and the regressions found while
 * bringing the engine into the simulator stay fixed.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/cli/scenarios.js';
import { executeRun } from '../../../src/harness/execute.js';
import { SUPERVISOR_RESTART_MS } from '../../../src/sim/engineHosts.js';
import { runScenario } from '../../../src/sim/run.js';
import { tinyScenario } from '../faultRuns.js';

const diskDamage = loadScenario('disk-damage');

describe('runs on the storage engine', () => {
  it('are deterministic: the same seed gives the same trace, kept or not', async () => {
    const first = await runScenario(diskDamage, { seed: 7, keepTrace: true });
    const second = await runScenario(diskDamage, { seed: 7, keepTrace: true });
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.trace).toEqual(first.trace);
    expect((await runScenario(diskDamage, { seed: 7 })).traceHash).toBe(first.traceHash);
    expect(first.ok).toBe(true);
  });

  it('boot every machine by opening its storage, and damage disks on the way', async () => {
    const result = await runScenario(diskDamage, { seed: 3, keepTrace: true });
    const starts = result.trace!.filter((r) => r.ev === 'start');
    expect(starts.map((r) => r.node).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(result.coverage['faults.disk-damage']).toBeGreaterThan(0);
    expect(result.ok).toBe(true);
  });

  it('fire recovery-faithful when the engine skips its fdatasync (wal-skips-fdatasync, disk-damage seed 1)', async () => {
    const report = await executeRun({ scenario: diskDamage, scenarioRef: 'disk-damage', seed: 1, swarm: true, bug: 'wal-skips-fdatasync' });
    expect(report.violation).toMatchObject({ kind: 'safety', invariant: 'recovery-faithful' });
    expect(report.violation!.message).toMatch(/restarted with .* its storage lost or invented a write without refusing to start/);
  });

  it('fire recovery-faithful when recovery ignores the durable mark (recovery-ignores-durable-mark, disk-damage seed 4)', async () => {
    const report = await executeRun({ scenario: diskDamage, scenarioRef: 'disk-damage', seed: 4, swarm: true, bug: 'recovery-ignores-durable-mark' });
    expect(report.violation).toMatchObject({ kind: 'safety', invariant: 'recovery-faithful' });
  });

  it('restart a node whose write failed on a full disk: its supervisor starts it again, until the disk has room', async () => {
    const scenario = tinyScenario({
      disk: { storage: 'engine' }, durationMs: 6000,
      faults: { schedule: [{ atMs: 500, kind: 'disk-full', node: 'n1', forMs: 3000 }] },
    });
    const result = await runScenario(scenario, { seed: 1, keepTrace: true });
    expect(result.ok).toBe(true);
    const trace = result.trace!;
    const failed = trace.filter((r) => r.ev === 'storage-failed' && r.node === 1);
    expect(failed.length).toBeGreaterThan(0);
    expect(String(failed[0]!.why)).toMatch(/ENOSPC/);
    // Restarted by its supervisor (no restart action is scheduled), and up after the disk has room.
    const restarts = trace.filter((r) => r.ev === 'restart' && r.node === 1).map((r) => Number(r.t));
    expect(restarts.some((t) => t >= Number(failed[0]!.t) + SUPERVISOR_RESTART_MS)).toBe(true);
    expect(restarts.some((t) => t >= 3500)).toBe(true);
  });
});
