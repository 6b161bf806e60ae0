/**
 * The Raft core's uncommitted bound, end to end: a leader whose uncommitted entries are over
 * maxUncommittedBytes refuses new commands, and the client gets 503 overloaded, not applied. One
 * node in this process with a bound of one byte, so it admits one command at a time (a proposal
 * is always admitted when nothing is uncommitted) and refuses those that arrive meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { http } from '../../support/http.js';
import { scaled } from '../../support/timeFactor.js';
import { waitFor } from '../../support/wait.js';
import { oneNode } from './oneNode.js';

const CONCURRENT = 40;
const BURSTS_MAX = 10;

async function metric(port: number, line: RegExp): Promise<number> {
  const text = (await http('GET', `http://127.0.0.1:${port}/metrics`)).text;
  const match = text.split('\n').find((l) => line.test(l));
  return match === undefined ? 0 : Number(match.split(' ').pop());
}

describe('the uncommitted bound over HTTP', () => {
  it('answers 503 overloaded (not applied) past maxUncommittedBytes, and the refused writes are not applied', async () => {
    const node = await oneNode({}, undefined, { maxUncommittedBytes: 1 });
    const base = `http://127.0.0.1:${node.address.port}`;
    // A single voter elects itself after its first election timeout.
    await waitFor('the node to lead', async () => (await http('PUT', `${base}/kv/warm-up`, { body: 'w' })).status, (status) => status === 200);
    const refusedKeys: string[] = [];
    let okCount = 0;
    // Concurrent writes reach the leader in the same batch now and then; try a few bursts until
    // some arrive together (each burst usually does at once).
    for (let burst = 0; burst < BURSTS_MAX && refusedKeys.length === 0; burst++) {
      const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => {
        const key = `b${burst}-k${i}`;
        return http('PUT', `${base}/kv/${key}`, { body: `v${i}`, headers: { 'X-Client-Id': String(burst * CONCURRENT + i + 1), 'X-Seq': '1' } })
          .then((answer) => ({ key, answer }));
      }));
      for (const { key, answer } of answers) {
        if (answer.status === 200) okCount++;
        else {
          expect(answer.status).toBe(503);
          expect(answer.json).toMatchObject({ error: 'overloaded', outcome: 'not-applied' });
          refusedKeys.push(key);
        }
      }
    }
    expect(refusedKeys.length).toBeGreaterThan(0);
    expect(okCount).toBeGreaterThan(0);
    for (const key of refusedKeys) expect((await http('GET', `${base}/kv/${key}`)).json).toMatchObject({ value: null });
    expect(await metric(node.address.port, /^raftsim_overloaded_total\{reason="uncommitted-bytes"\}/)).toBe(refusedKeys.length);
  }, scaled(120_000));
});
