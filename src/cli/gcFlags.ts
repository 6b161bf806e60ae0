/**
 * A fuzz campaign runs one simulation per worker thread, one per core. V8's parallel GC sends
 * helper threads to every core as well, so on a machine with as many workers as cores they steal
 * from the workers: 2 workers ran 1.60× one worker where a pure CPU loop runs 2.02× (bench:fuzz).
 * With --single-threaded-gc each thread collects its own garbage and the same campaign runs
 * 1.83×. V8 flags are per process and must be given at start (setting them later has no effect on
 * the GC), so `raftsim fuzz` restarts itself once with the flag. RAFTSIM_GC_FLAGS=keep opts out.
 */
import { spawn } from 'node:child_process';

const FLAG = '--single-threaded-gc';

/** True when this process should hand over to a copy of itself with the flag. */
export function wantsSingleThreadedGc(args: readonly string[]): boolean {
  return args[0] === 'fuzz' && !process.execArgv.includes(FLAG) && process.env.RAFTSIM_GC_FLAGS !== 'keep';
}

/** Runs the same command with the flag; resolves with its exit code. Ctrl-C reaches both (one process group). */
export function rerunWithSingleThreadedGc(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, FLAG, ...process.argv.slice(1)], { stdio: 'inherit' });
    // The child gets the terminal's signals itself; this process only waits for it.
    const ignore = (): void => undefined;
    process.on('SIGINT', ignore);
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('error', (error) => {
      process.stderr.write(`raftsim: cannot restart with ${FLAG}: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}
