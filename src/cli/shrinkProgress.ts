/**
 * The shrinker's progress on stderr (stdout is for the result). On a terminal: one line redrawn in
 * place after each run (at most ten times a second). Elsewhere (a pipe, a file, CI logs): one line
 * per cut kept, with no escape codes, so that a log shows how the run got smaller.
 */
import type { RunSize, ShrinkProgress } from '../harness/shrink.js';

export interface ShrinkProgressLine {
  update(progress: ShrinkProgress): void;
  /** Clears the redrawn line: the result follows. */
  finish(): void;
}

const REDRAW_MS = 100;

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Sizes as the before/after lines print them; `N ms` is virtual time, to where the run ended. */
export function describeSize(size: RunSize): string {
  return `${count(size.faults, 'fault')}, ${count(size.clients, 'client')}, ${count(size.operations, 'operation')}, ${size.virtualMs} ms, ` +
    `${count(size.nodes, 'node')} (faults phase ${size.durationMs} ms)`;
}

export function progressLine(progress: ShrinkProgress): string {
  const elapsed = progress.elapsedMs === null ? '' : `, ${(progress.elapsedMs / 1000).toFixed(1)} s`;
  return `shrink: ${progress.runs} runs${elapsed}: ${describeSize(progress.best)} [cutting ${progress.pass}]`;
}

export function createShrinkProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, now: () => number, env: NodeJS.ProcessEnv = process.env): ShrinkProgressLine {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  if (!stream.isTTY || ci) {
    return {
      update: (progress) => { if (progress.improved) stream.write(`${progressLine(progress)}\n`); },
      finish: () => {},
    };
  }
  let drawnAt = -Infinity;
  let drawn = false;
  return {
    update: (progress) => {
      if (now() - drawnAt < REDRAW_MS && !progress.improved) return;
      drawnAt = now();
      drawn = true;
      stream.write(`\r${progressLine(progress)}\x1b[K`);
    },
    finish: () => { if (drawn) stream.write('\r\x1b[K'); },
  };
}
