/** Small HTTP calls to a node: /status, the test-only /admin endpoints, and finding the leader. */
import { httpUrl, type Address } from '../runtime/addresses.js';

export interface StatusAnswer {
  readonly id: string;
  readonly role: string;
  readonly term: number;
  readonly leader: string | null;
  readonly commitIndex: number;
}

/** null: no answer within `timeoutMs` (down, paused, or cut off). */
export async function fetchStatus(address: Address, timeoutMs: number): Promise<StatusAnswer | null> {
  try {
    const res = await fetch(httpUrl(address, '/status'), { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) return null;
    return await res.json() as StatusAnswer;
  } catch {
    return null;
  }
}

/** The node that says it leads in the highest term, among those that answer; null if none. */
export async function findLeader(nodes: readonly { name: string; address: Address }[], timeoutMs = 500): Promise<string | null> {
  const answers = await Promise.all(nodes.map((n) => fetchStatus(n.address, timeoutMs)));
  let best: StatusAnswer | null = null;
  for (const answer of answers) {
    if (answer?.role === 'leader' && (best === null || answer.term > best.term)) best = answer;
  }
  return best?.id ?? null;
}

/** POST /admin/partition or /admin/heal; throws with the reason if the node does not agree. */
export async function admin(address: Address, action: 'partition' | 'heal', drop: readonly string[] = [], timeoutMs = 1_000): Promise<void> {
  const res = await fetch(httpUrl(address, `/admin/${action}`), {
    method: 'POST', signal: AbortSignal.timeout(timeoutMs),
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(action === 'heal' ? {} : { drop }),
  });
  const text = await res.text();
  if (res.status === 404) throw new Error(`${httpUrl(address)} has no admin endpoint (was it started with --test-admin?)`);
  if (res.status !== 200) throw new Error(`admin ${action} on ${httpUrl(address)}: HTTP ${res.status} ${text.trim().slice(0, 200)}`);
}
