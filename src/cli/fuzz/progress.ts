/**
 * Campaign progress on stderr (stdout is for results). On a terminal: one bar redrawn in place.
 * Elsewhere (a pipe, a file, CI logs): a plain line every few seconds or every tenth of the
 * campaign, with no escape codes, so that logs stay readable.
 */
import type { CampaignProgress } from './scheduler.js';

export interface ProgressReporter {
  update(progress: CampaignProgress): void;
  /** Clears the bar (or says nothing more): the summary follows. */
  finish(): void;
}

export interface ProgressOptions {
  readonly stream: NodeJS.WriteStream;
  /** performance.now() at the start. */
  readonly startedAt: number;
  /** performance.now() when a --duration campaign stops starting runs; null: a fixed seed count. */
  readonly deadline: number | null;
}

/** A bar only on an interactive terminal, never in CI (CI logs keep every redraw as a line). */
export function wantsProgressBar(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return Boolean(process.stdout.isTTY && process.stderr.isTTY) && !ci;
}

export function createProgressReporter(bar: boolean, options: ProgressOptions): ProgressReporter {
  return bar ? new ProgressBar(options) : new PlainProgress(options);
}

const PLAIN_EVERY_MS = 5_000;
const BAR_REDRAW_MS = 100;

class PlainProgress implements ProgressReporter {
  private lastLineAt: number;
  private lastTenth = 0;

  constructor(private readonly options: ProgressOptions) {
    this.lastLineAt = options.startedAt;
  }

  update(progress: CampaignProgress): void {
    const now = performance.now();
    const tenth = progress.total ? Math.floor((10 * progress.done) / progress.total) : 0;
    if (now - this.lastLineAt < PLAIN_EVERY_MS && tenth === this.lastTenth) return;
    this.lastLineAt = now;
    this.lastTenth = tenth;
    this.options.stream.write(`fuzz: ${describe(progress, this.options, now).join(', ')}\n`);
  }

  finish(): void {}
}

class ProgressBar implements ProgressReporter {
  private latest: CampaignProgress | null = null;
  private lastDrawAt = 0;
  /** Redraws now and then even without news, so that the time left keeps moving. */
  private readonly ticker: NodeJS.Timeout;

  constructor(private readonly options: ProgressOptions) {
    this.ticker = setInterval(() => this.draw(), 1_000);
    this.ticker.unref();
  }

  update(progress: CampaignProgress): void {
    this.latest = progress;
    if (performance.now() - this.lastDrawAt >= BAR_REDRAW_MS) this.draw();
  }

  finish(): void {
    clearInterval(this.ticker);
    if (this.lastDrawAt > 0) this.options.stream.write('\r\x1b[2K');
  }

  private draw(): void {
    if (!this.latest) return;
    const now = performance.now();
    this.lastDrawAt = now;
    const { total, done } = this.latest;
    const fraction = total ? done / total : this.options.deadline === null ? 0
      : Math.min(1, (now - this.options.startedAt) / (this.options.deadline - this.options.startedAt));
    const text = describe(this.latest, this.options, now).join(' · ').replace(' seeds/s', '/s');
    const columns = this.options.stream.columns ?? 80;
    const width = Math.max(10, Math.min(30, columns - text.length - 4));
    const filled = Math.round(fraction * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`;
    this.options.stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
  }
}

function describe(progress: CampaignProgress, options: ProgressOptions, now: number): string[] {
  const elapsedS = (now - options.startedAt) / 1000;
  const rate = elapsedS > 0 ? progress.done / elapsedS : 0;
  const parts = [progress.total === null ? `${progress.done} seeds` : `${progress.done}/${progress.total} seeds`];
  parts.push(`${progress.failed} failed`, `${progress.unknown} unknown`, `${rate.toFixed(1)} seeds/s`);
  const leftS = options.deadline !== null ? Math.max(0, (options.deadline - now) / 1000)
    : progress.total !== null && rate > 0 ? (progress.total - progress.done) / rate : null;
  if (leftS !== null) parts.push(`${formatSeconds(leftS)} left`);
  return parts;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
