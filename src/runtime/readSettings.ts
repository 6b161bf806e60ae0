/**
 * How the real runtime answers GET /kv/{key} (src/kv/pendingReads.ts): ReadIndex by default, as
 * etcd's linearizable reads do (thesis §6.4: one heartbeat round, no log entry, no fsync); 'log'
 * puts each read in the log like a write; 'lease' (thesis §6.4.1) skips the round while the
 * leader's lease holds, which is safe only if no clock runs faster than another by more than
 * maxClockDriftMs per election timeout and no process pauses that long (a GC pause, SIGSTOP, a VM
 * migration all break it: that is why it is not the default).
 */
import type { ReadMode } from '../kv/pendingReads.js';
import type { RaftConfig } from '../raft/config.js';
import type { NodeTiming } from './raftHost.js';
import { RuntimeConfigError } from './runtimeConfigError.js';

export interface ReadSettings {
  readonly mode: ReadMode;
  /** With 'lease': how far apart two nodes' clocks may count one election timeout, in ms. */
  readonly maxClockDriftMs: number;
  /**
   * With 'read-index': a follower answers GET itself, at a read index its leader confirmed
   * (thesis §6.4; etcd serves linearizable reads on any member the same way), instead of
   * redirecting. Writes still go to the leader.
   */
  readonly followerReads: boolean;
}

export const DEFAULT_READ_SETTINGS: ReadSettings = { mode: 'read-index', maxClockDriftMs: 50, followerReads: true };

/** Whether followers answer gets under `settings` (only ReadIndex has a read index to ask for). */
export function servesFollowerReads(settings: ReadSettings): boolean {
  return settings.mode === 'read-index' && settings.followerReads;
}

/** The Raft node's part of `settings`: leases on only in 'lease' mode, the drift as whole ticks (rounded up). */
export function raftReadConfig(settings: ReadSettings, timing: NodeTiming, checkQuorum: boolean): Pick<RaftConfig, 'leaseReads' | 'clockDriftBoundTicks'> {
  if (settings.mode !== 'lease') return {};
  if (!checkQuorum) throw new RuntimeConfigError('lease reads need CheckQuorum (drop --no-check-quorum)');
  const ticks = Math.ceil(settings.maxClockDriftMs / timing.tickMs);
  if (!(Number.isSafeInteger(ticks) && ticks >= 0 && ticks < timing.electionTicksMin)) {
    throw new RuntimeConfigError(`--max-clock-drift-ms ${settings.maxClockDriftMs} leaves no lease: it must be below the minimum election timeout (${timing.electionTicksMin * timing.tickMs} ms)`);
  }
  return { leaseReads: true, clockDriftBoundTicks: ticks };
}
