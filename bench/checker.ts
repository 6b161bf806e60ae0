/**
 * Benchmark of the linearizability checker on Porcupine's histories (test/fixtures/porcupine).
 * Checks every history RUNS times (default 5), verifies each verdict against the manifest and
 * prints the median time per file, the totals per set (etcd, kv) and overall, and the slowest.
 *
 * Run from the project root: `npm run build && npm run bench:checker [fixtures-dir]`.
 * For reference, Porcupine (Go) takes about 0.75 s for the etcd set and 0.25 s for the kv set.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkOperations, parseHistory } from '../src/checker/index.js';

interface ManifestEntry {
  readonly file: string;
  readonly model: string;
  readonly expected: string;
  readonly operations: number;
}

interface Measurement {
  readonly file: string;
  readonly set: string;
  readonly result: string;
  readonly operations: number;
  readonly medianMs: number;
}

const root = resolve(process.argv[2] ?? 'test/fixtures/porcupine');
const runs = Math.max(1, Number(process.env.RUNS ?? 5));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function measure(entry: ManifestEntry): Measurement {
  const parsed = parseHistory(readFileSync(join(root, entry.file), 'utf8'));
  if (!parsed.ok) throw new Error(`${entry.file}: ${parsed.error.message}`);
  const times: number[] = [];
  let result = '';
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    result = checkOperations(parsed.model, parsed.history.operations).result;
    times.push(performance.now() - start);
  }
  if (result !== entry.expected) throw new Error(`${entry.file}: got ${result}, expected ${entry.expected}`);
  const set = entry.file.split('/')[0]!;
  return { file: entry.file, set, result, operations: entry.operations, medianMs: median(times) };
}

function main(): void {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as ManifestEntry[];
  const measurements = manifest.map(measure);
  for (const m of measurements) {
    const line = `${m.file.padEnd(22)} ${m.result.padEnd(17)} ${String(m.operations).padStart(5)} ops`;
    console.log(`${line} ${m.medianMs.toFixed(2).padStart(9)} ms`);
  }
  console.log(`\nmedian of ${runs} runs per history; totals are sums of medians`);
  const sets = [...new Set(measurements.map((m) => m.set))].sort();
  for (const set of [...sets, 'all']) {
    const inSet = measurements.filter((m) => set === 'all' || m.set === set);
    const total = inSet.reduce((sum, m) => sum + m.medianMs, 0);
    console.log(`${set.padEnd(5)} ${String(inSet.length).padStart(4)} histories ${total.toFixed(1).padStart(9)} ms`);
  }
  const slowest = measurements.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  console.log(`slowest: ${slowest.file} ${slowest.medianMs.toFixed(1)} ms`);
}

main();
