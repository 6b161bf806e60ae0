/**
 * `--out DIR`: one folder per failing seed, `DIR/<scenario>-seed-<seed>/`, holding everything needed
 * to look at the failure and to replay it: failure.json (the spec, scenario content, trace hash and
 * code version), history.json (the client history, in the checker's format), trace.jsonl (every
 * event, one JSON object per line) and report.html.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../harness/execute.js';
import { replayCommand, toFailureFile } from '../../harness/failureFile.js';
import { renderRunReport } from '../../report/index.js';
import { codeVersion } from '../codeVersion.js';
import { traceRecordJson } from '../traceView.js';
import type { TraceRecord } from '../../sim/trace.js';

export interface WrittenFailure {
  readonly folder: string;
  readonly replay: string;
}

export function failureFolderName(report: RunReport): string {
  return `${report.spec.scenario.name}-seed-${report.spec.seed}`;
}

/** `report` must come from a run with keepTrace, so that trace.jsonl has the events. */
export function writeFailureFolder(outDir: string, report: RunReport): WrittenFailure {
  const folder = join(outDir, failureFolderName(report));
  mkdirSync(folder, { recursive: true });
  const replay = replayCommand(report.spec, join(folder, 'failure.json'));
  const failure = toFailureFile(report, codeVersion(), replay);
  writeFileSync(join(folder, 'failure.json'), JSON.stringify(failure, null, 1) + '\n');
  writeFileSync(join(folder, 'history.json'), JSON.stringify(report.sim.history, null, 1) + '\n');
  writeJsonLines(join(folder, 'trace.jsonl'), report.sim.trace ?? []);
  writeFileSync(join(folder, 'report.html'), renderRunReport(report, replay));
  return { folder, replay };
}

/** In chunks: a long run's trace is millions of events, too many for one string. */
function writeJsonLines(file: string, records: readonly TraceRecord[]): void {
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < records.length; i += 10_000) {
      writeSync(fd, records.slice(i, i + 10_000).map((record) => JSON.stringify(traceRecordJson(record)) + '\n').join(''));
    }
  } finally {
    closeSync(fd);
  }
}
