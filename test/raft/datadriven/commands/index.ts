/**
 * The commands of the interaction env, after etcd-io/raft's rafttest handlers: each with a usage
 * example. Handlers print one fact per line (formats in text.ts).
 */
import type { InteractionEnv } from '../env.js';
import type { Command } from '../parse.js';
import { addNodes, crash, restart } from './cluster.js';
import { campaign, tick, tickHeartbeat } from './clock.js';
import { compact, propose } from './client.js';
import { raftLog, status, storage } from './inspect.js';
import { deliverMsgs, fsync, processReady, stabilize } from './io.js';

type Handler = (env: InteractionEnv, cmd: Command) => string[];

const COMMANDS: ReadonlyMap<string, { readonly usage: string; readonly run: Handler }> = new Map([
  ['add-nodes', { usage: 'add-nodes 3 voters=(1,2,3) term=2 log=(1,1,2) max-entries=4 max-inflight=2 pre-vote check-quorum', run: addNodes }],
  ['campaign', { usage: 'campaign 1', run: campaign }],
  ['tick', { usage: 'tick 1 5', run: tick }],
  ['tick-heartbeat', { usage: 'tick-heartbeat 1', run: tickHeartbeat }],
  ['process-ready', { usage: 'process-ready 1 2 no-fsync', run: processReady }],
  ['fsync', { usage: 'fsync 1', run: fsync }],
  ['deliver-msgs', { usage: 'deliver-msgs 2 3 from=(1) type=(AppendEntries) drop', run: deliverMsgs }],
  ['stabilize', { usage: 'stabilize 1 2', run: stabilize }],
  ['propose', { usage: 'propose 1 v2', run: propose }],
  ['compact', { usage: 'compact 1 5', run: compact }],
  ['crash', { usage: 'crash 3', run: crash }],
  ['restart', { usage: 'restart 3', run: restart }],
  ['status', { usage: 'status 1 2', run: status }],
  ['raft-log', { usage: 'raft-log 1', run: raftLog }],
  ['storage', { usage: 'storage 1', run: storage }],
]);

/** Runs one command against the env and returns its output text. */
export function runCommand(env: InteractionEnv, cmd: Command): string {
  const command = COMMANDS.get(cmd.name);
  if (command === undefined) {
    throw new Error(`unknown command "${cmd.name}"; known:\n${[...COMMANDS.values()].map((c) => `  ${c.usage}`).join('\n')}`);
  }
  try {
    return command.run(env, cmd).join('\n');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message} (usage: ${command.usage})`, { cause: error });
  }
}
