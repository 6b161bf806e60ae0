/**
 * Swarm testing (after TigerBeetle's `options_swarm`): each seed also draws which fault kinds are
 * on and how often, within the scenario's bounds, so that rare combinations are reached. A kind the
 * scenario turns off stays off; a kind it turns on is kept with probability 1/2 (at least one
 * stays) at a weight from 1 to twice the scenario's; the fault interval is scaled by 1/2..2; drop
 * and duplicate ratios are drawn from 0 up to the scenario's. So are issue 8's rates (clock drift,
 * per-link latency spread, client-link drop and duplicate, the disk's crash-prefix and fsync-spike
 * chances), from a child generator of their own so that the draws above stay as they were.
 */
import type { Prng } from './prng.js';
import type { RandomFaultKind, Scenario } from './scenario.js';
import { RANDOM_FAULT_KINDS } from './scenario.js';

export function swarmScenario(scenario: Scenario, prng: Prng): Scenario {
  const enabled = RANDOM_FAULT_KINDS.filter((kind) => (scenario.faults.kinds[kind] ?? 0) > 0);
  const kinds: Partial<Record<RandomFaultKind, number>> = {};
  for (const kind of enabled) {
    if (prng.chance(0.5)) kinds[kind] = prng.rangeInclusive(1, 2 * scenario.faults.kinds[kind]!);
  }
  if (enabled.length > 0 && Object.keys(kinds).length === 0) {
    const kind = prng.pick(enabled);
    kinds[kind] = scenario.faults.kinds[kind]!;
  }
  const scale = prng.rangeInclusive(50, 200);
  const meanIntervalMs = scenario.faults.meanIntervalMs === 0 ? 0 : Math.max(1, Math.round((scenario.faults.meanIntervalMs * scale) / 100));
  const dropRatio = roundRatio(prng.float() * scenario.network.dropRatio);
  const duplicateRatio = roundRatio(prng.float() * scenario.network.duplicateRatio);
  const rates = prng.child('rates');
  return {
    ...scenario,
    timing: { ...scenario.timing, clockDriftMax: roundRatio(rates.float() * scenario.timing.clockDriftMax) },
    network: {
      ...scenario.network, dropRatio, duplicateRatio,
      linkLatencySpreadMs: rates.rangeInclusive(0, scenario.network.linkLatencySpreadMs),
    },
    clientNetwork: {
      ...scenario.clientNetwork,
      dropRatio: roundRatio(rates.float() * scenario.clientNetwork.dropRatio),
      duplicateRatio: roundRatio(rates.float() * scenario.clientNetwork.duplicateRatio),
    },
    disk: {
      ...scenario.disk,
      crashKeepsPrefixRatio: roundRatio(rates.float() * scenario.disk.crashKeepsPrefixRatio),
      fsyncSpikeRatio: roundRatio(rates.float() * scenario.disk.fsyncSpikeRatio),
    },
    faults: { ...scenario.faults, meanIntervalMs, kinds },
  };
}

/** Four decimals: short in reports, and exact when written to JSON and read back. */
function roundRatio(ratio: number): number {
  return Math.round(ratio * 10_000) / 10_000;
}
