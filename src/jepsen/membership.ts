/**
 * The nemesis's membership changes, through the leader's POST /members/... (src/runtime/http/
 * membersHandler.ts): take a node out of the configuration, and put it back as a voter (add it as
 * a learner, then promote it). Each step looks at the configuration the leader has first, so a
 * step that already happened (an answer lost, a retry) is not repeated; a busy leader (another
 * change pending, leadership moving, no leader yet) is asked again until the bound.
 */
import { httpUrl, type Address } from '../runtime/addresses.js';
import { sleep } from './clock.js';
import { findLeader } from './nodeApi.js';

export interface Reachable {
  readonly name: string;
  readonly address: Address;
}

interface Members {
  readonly voters: readonly string[];
  readonly learners: readonly string[];
}

/** How long one step may keep trying (a leader election, a pending change, a commit). */
export const MEMBER_STEP_MS = 15_000;
const RETRY_MS = 200;

/** Removes `node` from the configuration; null when done, else what went wrong. */
export function removeMember(nodes: () => readonly Reachable[], node: string, boundMs = MEMBER_STEP_MS): Promise<string | null> {
  return converge(nodes, node, (m) => (m.voters.includes(node) || m.learners.includes(node) ? 'remove' : null), boundMs);
}

/** Makes `node` a voter again: add-learner, then promote, as needed; null when done. */
export function restoreMember(nodes: () => readonly Reachable[], node: string, boundMs = MEMBER_STEP_MS): Promise<string | null> {
  return converge(nodes, node, (m) => (m.voters.includes(node) ? null : m.learners.includes(node) ? 'promote' : 'add-learner'), boundMs);
}

/** Steps until `next` says nothing is left to do, or the bound passes. */
async function converge(nodes: () => readonly Reachable[], node: string, next: (members: Members) => string | null, boundMs: number): Promise<string | null> {
  const deadline = performance.now() + boundMs;
  let last = 'no leader answered';
  while (performance.now() < deadline) {
    const leader = await leaderOf(nodes());
    if (leader !== null) {
      const members = await call('GET', httpUrl(leader, '/members'));
      if (members !== null && members.status === 200) {
        const step = next(members.body as unknown as Members);
        // Committed: the leader's configuration is the cluster's for sure.
        if (step === null && members.body.committed === true) return null;
        if (step !== null) {
          const answer = await call('POST', httpUrl(leader, `/members/${step}?node=${node}`));
          if (answer?.status === 400) return `${step} ${node}: ${String(answer.body.message)}`;
          last = answer === null ? `${step} ${node}: no answer` : `${step} ${node}: ${answer.status} ${String(answer.body.error ?? '')}`;
        }
      }
    }
    await sleep(RETRY_MS);
  }
  return `not done within ${boundMs / 1000} s (last: ${last})`;
}

async function leaderOf(nodes: readonly Reachable[]): Promise<Address | null> {
  const name = await findLeader(nodes);
  return nodes.find((n) => n.name === name)?.address ?? null;
}

async function call(method: string, url: string): Promise<{ status: number; body: Record<string, unknown> } | null> {
  try {
    const res = await fetch(url, { method, redirect: 'manual', signal: AbortSignal.timeout(7_000) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } catch {
    return null;
  }
}
