/** raft.readMode and raft.clockDriftBoundTicks in scenario files: validated; readMode is ReadIndex unless a file sets it, as in `raftsim serve`. */
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenarioText } from '../../src/cli/scenarios.js';
import { DEFAULT_READ_SETTINGS } from '../../src/runtime/readSettings.js';

const parse = (raft: object, timing: object = {}) => () =>
  parseScenarioText(JSON.stringify({ raft, timing }), 'mine.json', 'mine');

describe('scenario read settings', () => {
  it("default to serve's ReadIndex, with no drift margin unless the file sets one", () => {
    expect(loadScenario('leader-isolated').raft).toMatchObject({ readMode: 'read-index' });
    expect(loadScenario('leader-isolated').raft.readMode).toBe(DEFAULT_READ_SETTINGS.mode);
    expect(loadScenario('leader-isolated').raft).not.toHaveProperty('clockDriftBoundTicks');
    expect(loadScenario('read-index').raft).toMatchObject({ readMode: 'read-index' });
    expect(loadScenario('lease-reads').raft).toMatchObject({ readMode: 'lease', checkQuorum: true, clockDriftBoundTicks: 68 });
    expect(parse({ readMode: 'log' })().raft).toMatchObject({ readMode: 'log' });
    expect(loadScenario('follower-reads').raft).toMatchObject({ readMode: 'read-index', followerReads: true });
  });

  it.each([
    [{ readMode: 'fast' }, {}, /raft\.readMode: must be one of log, read-index, lease, got "fast"/],
    [{ readMode: 'lease', checkQuorum: false }, {}, /lease reads need raft\.checkQuorum true/],
    [{ readMode: 'read-index', clockDriftBoundTicks: 2 }, {}, /clockDriftBoundTicks: only with raft\.readMode "lease"/],
    [{ readMode: 'lease', checkQuorum: true, clockDriftBoundTicks: -1 }, {}, /must be a non-negative integer/],
    [{ readMode: 'lease', checkQuorum: true, clockDriftBoundTicks: 15 }, {}, /must be below timing\.electionTicksMin \(15\)/],
    [{ readMode: 'lease', checkQuorum: true, followerReads: true }, {}, /followerReads: only with raft\.readMode "read-index"/],
    [{ readMode: 'read-index', followerReads: 'yes' }, {}, /followerReads: must be true or false, got "yes"/],
  ])('refuses %j', (raft, timing, message) => {
    expect(parse(raft, timing)).toThrow(message);
  });
});
