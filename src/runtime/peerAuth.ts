/**
 * Peers prove they belong to the cluster by knowing its shared secret, without ever sending it:
 * a challenge-response in the handshake that opens every peer connection.
 *
 *   dialer   → acceptor   PEER_MAGIC, {hello: dialerId, to: acceptorId, nonce: Nd}
 *   acceptor → dialer     {challenge: Na, proof: HMAC(secret, "acceptor" | ids | Nd | Na)}
 *   dialer   → acceptor   {proof: HMAC(secret, "dialer" | ids | Nd | Na)}
 *
 * Each side picks a fresh random nonce and each proof covers both nonces and both node ids, so a
 * recorded handshake fails when replayed (the acceptor's nonce is new), a proof cannot be
 * reflected back (the role is in it), and a hello for another node is refused. The dialer checks
 * the acceptor's proof too, so it never sends Raft messages to an impostor. Without a secret
 * (`--insecure-peers`) the same exchange runs with an empty key: it proves nothing.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NodeId } from '../raft/types.js';

const NONCE_BYTES = 16;
const NONCE = /^[0-9a-f]{32}$/;
const PROOF = /^[0-9a-f]{64}$/;
/** Bump when the handshake changes, so that mixed versions fail to authenticate, not misparse. */
const PROTOCOL = 'raftsim-peer-v1';

/** The cluster secret as a key; `insecure` when none was configured and the user said so. */
export interface PeerKey {
  readonly key: Buffer;
  readonly insecure: boolean;
}

export const INSECURE_KEY: PeerKey = { key: Buffer.alloc(0), insecure: true };

export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('hex');
}

export interface Transcript {
  readonly dialer: NodeId;
  readonly acceptor: NodeId;
  readonly dialerNonce: string;
  readonly acceptorNonce: string;
}

export function proofOf(key: PeerKey, role: 'dialer' | 'acceptor', t: Transcript): string {
  const text = [PROTOCOL, role, t.dialer, t.acceptor, t.dialerNonce, t.acceptorNonce].join('\n');
  return createHmac('sha256', key.key).update(text).digest('hex');
}

/** Constant-time check of a proof received from the wire. */
export function proofMatches(key: PeerKey, role: 'dialer' | 'acceptor', t: Transcript, received: unknown): boolean {
  if (typeof received !== 'string' || !PROOF.test(received)) return false;
  return timingSafeEqual(Buffer.from(proofOf(key, role, t), 'hex'), Buffer.from(received, 'hex'));
}

export interface Hello {
  readonly from: NodeId;
  readonly nonce: string;
}

/** The dialer's hello if well formed, from a member and meant for `self`; otherwise why not. */
export function readHello(value: unknown, self: NodeId, peers: ReadonlySet<NodeId>): Hello | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the hello is not an object';
  const { hello, to, nonce } = value as Record<string, unknown>;
  if (typeof hello !== 'number' || !peers.has(hello)) return `the hello names ${JSON.stringify(hello)}, not a member of this cluster`;
  if (to !== self) return `the hello is meant for ${JSON.stringify(to)}, not this node`;
  if (typeof nonce !== 'string' || !NONCE.test(nonce)) return 'the hello has no valid nonce';
  return { from: hello, nonce };
}

/** The acceptor's challenge if well formed; otherwise why not. */
export function readChallenge(value: unknown): { nonce: string; proof: unknown } | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the challenge is not an object';
  const { challenge, proof } = value as Record<string, unknown>;
  if (typeof challenge !== 'string' || !NONCE.test(challenge)) return 'the challenge has no valid nonce';
  return { nonce: challenge, proof };
}
