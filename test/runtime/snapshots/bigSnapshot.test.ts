/**
 * A snapshot over 1 GiB on disk, with memory bounded (bench/snapshot.ts, run as its own process
 * so its memory is its own): the streamed write adds at most a few pieces to what the state
 * already takes; recovery and a chunked transfer add about one copy of the state (the one they
 * rebuild) and a bounded overhead, never the stream as one buffer or string. Before streaming the
 * write failed: the file was one JSON string, and V8 caps a string near 512 MiB.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scaled } from '../helpers.js';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** What the streaming paths may hold besides the state: pieces, a window of chunks, I/O blocks. */
const OVERHEAD_MIB = 256;

describe('a snapshot over 1 GiB', () => {
  it('is written, recovered and sent in chunks with memory bounded, and arrives equal', () => {
    const run = spawnSync(process.execPath, ['--expose-gc', join('dist', 'bench', 'snapshot.js'), '--json'], {
      encoding: 'utf8', env: { ...process.env, SNAPSHOT_GIB: '1.05' }, timeout: scaled(300_000),
    });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim()) as {
      fileBytes: number; stateBytes: number;
      write: { rssRiseMiB: number }; read: { rssRiseMiB: number }; transfer: { rssRiseMiB: number };
    };
    expect(result.fileBytes).toBeGreaterThan(GIB);
    const stateMiB = result.stateBytes / MIB;
    expect(result.write.rssRiseMiB, 'writing holds a piece at a time, not the file').toBeLessThan(OVERHEAD_MIB);
    expect(result.read.rssRiseMiB, 'recovery holds the state it rebuilds and one block').toBeLessThan(stateMiB + OVERHEAD_MIB);
    expect(result.transfer.rssRiseMiB, 'the follower holds the state it rebuilds and one window').toBeLessThan(stateMiB + OVERHEAD_MIB);
  }, scaled(360_000));
});
