/** raftsim serve's read settings, turned into the Raft node's: leases only in lease mode, never without CheckQuorum or with no room left. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_SETTINGS, raftReadConfig, servesFollowerReads } from '../../src/runtime/readSettings.js';
import { DEFAULT_TIMING } from '../../src/runtime/raftHost.js';
import { RuntimeConfigError } from '../../src/runtime/runtimeConfigError.js';

describe('read settings', () => {
  it('default to ReadIndex, which needs nothing of the node', () => {
    expect(DEFAULT_READ_SETTINGS.mode).toBe('read-index');
    expect(raftReadConfig(DEFAULT_READ_SETTINGS, DEFAULT_TIMING, true)).toEqual({});
    expect(raftReadConfig({ mode: 'log', maxClockDriftMs: 0, followerReads: false }, DEFAULT_TIMING, false)).toEqual({});
  });

  it('lease: the drift in whole ticks, rounded up; refused without CheckQuorum or past the election timeout', () => {
    const timing = { ...DEFAULT_TIMING, tickMs: 10, electionTicksMin: 15 };
    expect(raftReadConfig({ mode: 'lease', maxClockDriftMs: 41, followerReads: false }, timing, true)).toEqual({ leaseReads: true, clockDriftBoundTicks: 5 });
    expect(() => raftReadConfig({ mode: 'lease', maxClockDriftMs: 41, followerReads: false }, timing, false)).toThrow(RuntimeConfigError);
    expect(() => raftReadConfig({ mode: 'lease', maxClockDriftMs: 150, followerReads: false }, timing, true)).toThrow(/below the minimum election timeout \(150 ms\)/);
  });

  it('followers answer gets by default, and only under ReadIndex', () => {
    expect(servesFollowerReads(DEFAULT_READ_SETTINGS)).toBe(true);
    expect(servesFollowerReads({ ...DEFAULT_READ_SETTINGS, followerReads: false })).toBe(false);
    expect(servesFollowerReads({ mode: 'lease', maxClockDriftMs: 41, followerReads: true })).toBe(false);
    expect(servesFollowerReads({ mode: 'log', maxClockDriftMs: 0, followerReads: true })).toBe(false);
  });
});
