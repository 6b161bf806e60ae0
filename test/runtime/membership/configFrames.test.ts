/**
 * Configurations from peers (membership changes) are checked before they reach the core: a
 * configuration entry in an AppendEntries must have a null command and a well-formed configuration
 * naming only nodes of the cluster file; a snapshot stream's configuration likewise. Messages
 * from a node of the cluster file outside the configuration are accepted (the core judges them).
 */
import { describe, expect, it } from 'vitest';
import type { KvSnapshotData } from '../../../src/kv/types.js';
import type { InstallSnapshot } from '../../../src/raft/messages.js';
import { checkPeerMessage } from '../../../src/runtime/peerMessages.js';
import type { SnapshotAck, SnapshotChunk } from '../../../src/runtime/snapshotTransfer/chunkMessages.js';
import { SnapshotReceiver } from '../../../src/runtime/snapshotTransfer/snapshotReceiver.js';
import { SnapshotSender } from '../../../src/runtime/snapshotTransfer/snapshotSender.js';
import { KV_SNAPSHOT_CODEC } from '../../../src/storage/kvSnapshotCodec.js';

const known = new Set([1, 2, 3, 4]);
const ctx = { self: 2, from: 1, known };

function append(entries: unknown[]): Record<string, unknown> {
  return { type: 'AppendEntries', from: 1, to: 2, term: 3, prevLogIndex: 4, prevLogTerm: 3, entries, leaderCommit: 4 };
}

describe('configuration entries in AppendEntries', () => {
  it('accepts a well-formed one, rebuilt', () => {
    const config = { voters: [1, 2, 3], learners: [4] };
    const checked = checkPeerMessage(append([{ index: 5, term: 3, command: null, config }]), ctx);
    expect(checked).toEqual({ message: append([{ index: 5, term: 3, command: null, config }]) });
    const entry = ('message' in checked && checked.message.type === 'AppendEntries') ? checked.message.entries[0]! : null;
    expect(entry?.config).not.toBe(config);
  });

  it.each<[string, unknown, unknown]>([
    ['a command beside the configuration', { clientId: 1, seq: 1, op: { f: 'get', key: 'k' } }, { voters: [1], learners: [] }],
    ['no voters', null, { voters: [], learners: [4] }],
    ['unsorted voters', null, { voters: [2, 1], learners: [] }],
    ['a node both voter and learner', null, { voters: [1, 2], learners: [2] }],
    ['a node id that is not a positive integer', null, { voters: [1, 0.5], learners: [] }],
    ['an extra field', null, { voters: [1], learners: [], joint: true }],
    ['not an object', null, [1, 2, 3]],
    ['a node outside the cluster file', null, { voters: [1, 2, 3], learners: [9] }],
  ])('refuses %s', (_, command, config) => {
    const checked = checkPeerMessage(append([{ index: 5, term: 3, command, config }]), ctx);
    expect(checked).toHaveProperty('error');
    expect((checked as { error: string }).error).toMatch(/entries\[0\]/);
  });

  it('accepts messages from a node of the cluster file outside the configuration', () => {
    const heartbeat = { type: 'AppendEntries', from: 4, to: 2, term: 3, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 };
    expect(checkPeerMessage(heartbeat, { self: 2, from: 4, known })).toEqual({ message: heartbeat });
  });
});

describe('a snapshot stream\'s configuration', () => {
  function transfer(config: unknown, knownNodes: ReadonlySet<number>) {
    const data: KvSnapshotData = { lastAppliedIndex: 9, entries: [['k', 'v']], sessions: [] };
    const message = { type: 'InstallSnapshot', from: 1, to: 2, term: 5, snapshot: { lastIncludedIndex: 9, lastIncludedTerm: 4, data, config } } as InstallSnapshot;
    const chunks: SnapshotChunk[] = [];
    const acks: SnapshotAck[] = [];
    const delivered: InstallSnapshot[] = [];
    const refused: string[] = [];
    const sender = new SnapshotSender({ codec: KV_SNAPSHOT_CODEC, send: (c) => chunks.push(c), windowChunks: 4, log: () => undefined });
    const receiver = new SnapshotReceiver({ codec: KV_SNAPSHOT_CODEC, sendAck: (a) => acks.push(a), deliver: (m) => delivered.push(m), refuse: (d) => refused.push(d), knownNodes });
    sender.offer(message);
    while (chunks.length > 0) {
      receiver.onChunk(chunks.shift()!);
      while (acks.length > 0) sender.onAck(acks.shift()!);
    }
    return { message, delivered, refused };
  }

  it('arrives with it', () => {
    const t = transfer({ voters: [1, 2], learners: [3] }, known);
    expect(t.refused).toEqual([]);
    expect(t.delivered).toEqual([t.message]);
  });

  it('is refused when malformed or naming a node outside the cluster file', () => {
    const bad = transfer({ voters: [2, 1], learners: [] }, known);
    expect(bad.delivered).toEqual([]);
    expect(bad.refused.join()).toMatch(/configuration/);
    const stranger = transfer({ voters: [1, 2, 3], learners: [7] }, known);
    expect(stranger.delivered).toEqual([]);
    expect(stranger.refused.join()).toMatch(/n7 is not in this node's cluster file/);
  });
});
