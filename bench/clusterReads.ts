/**
 * bench:cluster's reads: closed-loop gets of the keys the writes wrote, with 1 and 32 clients, on
 * raftsim with ReadIndex (`raftsim serve`'s default: a heartbeat round per batch of reads, no log
 * entry) and with lease reads (`--read-mode lease`), beside etcd's linearizable range (also a
 * ReadIndex round) and its serializable range (local, possibly stale: the lease's counterpart).
 * Windows alternate over the rounds, as the writes' do.
 */
import { fmt, load, SECONDS } from './clusterLoad.js';
import type { LoadResult, Target } from './clusterLoad.js';

const CLIENTS = [1, 32] as const;

/** etcd's serializable range: answered by the member from its own state. */
export function serializable(etcd: Target): Target {
  return {
    ...etcd, name: 'etcd serializable',
    get: (client, seq, key) => {
      const request = etcd.get(client, seq, key);
      return { ...request, body: JSON.stringify({ ...JSON.parse(request.body), serializable: true }) };
    },
  };
}

export interface ReadFigures { readonly name: string; readonly clients: number; readonly rounds: LoadResult[] }

export async function measureReads(targets: readonly Target[], rounds: number): Promise<ReadFigures[]> {
  const figures: ReadFigures[] = targets.flatMap((t) => CLIENTS.map((clients) => ({ name: t.name, clients, rounds: [] as LoadResult[] })));
  for (let round = 0; round < rounds; round++) {
    for (const clients of CLIENTS) {
      for (const target of targets) {
        const result = await load(target, clients, 5_000_000 + 100_000 * round + 1_000 * clients + 1, 'get');
        figures.find((f) => f.name === target.name && f.clients === clients)!.rounds.push(result);
        process.stderr.write(`  round ${round + 1}/${rounds}  ${target.name} ${clients} client${clients === 1 ? '' : 's'}: ${fmt(result.writesPerSecond)} reads/s\n`);
      }
    }
  }
  return figures;
}

function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function printReads(figures: readonly ReadFigures[]): void {
  console.log('');
  console.log(`reads (gets of the written keys; medians over the rounds of ${SECONDS} s windows): reads/s, p50 ms, p99 ms`);
  const names = [...new Set(figures.map((f) => f.name))];
  console.log(['clients'.padEnd(8), ...names.map((n) => n.padStart(30))].join('  '));
  for (const clients of CLIENTS) {
    const cells = names.map((name) => {
      const f = figures.find((x) => x.name === name && x.clients === clients)!;
      const rs = f.rounds;
      return `${fmt(median(rs.map((r) => r.writesPerSecond)))} r/s ${fmt(median(rs.map((r) => r.p50)))} ${fmt(median(rs.map((r) => r.p99)))}`.padStart(30);
    });
    console.log([String(clients).padEnd(8), ...cells].join('  '));
  }
  const ratio = (a: string, b: string, clients: number): string => {
    const x = figures.find((f) => f.name === a && f.clients === clients);
    const y = figures.find((f) => f.name === b && f.clients === clients);
    if (!x || !y) return '-';
    const r = median(x.rounds.map((q) => q.writesPerSecond)) / median(y.rounds.map((q) => q.writesPerSecond));
    return Number.isFinite(r) ? `${r.toFixed(2)}x` : '-';
  };
  if (names.includes('etcd')) {
    for (const clients of CLIENTS) {
      console.log(`  ${String(clients).padStart(2)} client${clients === 1 ? ' ' : 's'}: ReadIndex / etcd linearizable ${ratio('raftsim', 'etcd', clients)}; ` +
        `lease / etcd serializable ${ratio('raftsim lease', 'etcd serializable', clients)}`);
    }
  }
  for (const f of figures) {
    const errors = f.rounds.reduce((s, r) => s + r.errors, 0);
    if (errors > 0) console.log(`${f.name} ${f.clients} clients: ${errors} failed reads (first: ${f.rounds.find((r) => r.firstError)?.firstError})`);
  }
}
