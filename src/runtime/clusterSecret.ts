/**
 * Where a node's cluster secret comes from: `--cluster-secret-file PATH` (wins) or the
 * RAFTSIM_CLUSTER_SECRET environment variable. Without either, a node refuses to start unless told
 * `--insecure-peers`. `raftsim cluster` makes a fresh secret per run in a 0600 file.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSECURE_KEY, type PeerKey } from './peerAuth.js';
import { RuntimeConfigError } from './runtimeConfigError.js';

export const SECRET_ENV = 'RAFTSIM_CLUSTER_SECRET';
export const MIN_SECRET_CHARS = 16;
export const MAX_SECRET_CHARS = 4096;

export interface SecretSources {
  readonly file?: string | undefined;
  readonly env?: string | undefined;
  readonly insecure: boolean;
}

export function loadClusterSecret(sources: SecretSources): PeerKey {
  const text = sources.file !== undefined ? readSecretFile(sources.file) : sources.env;
  const where = sources.file !== undefined ? `cluster secret file ${sources.file}` : SECRET_ENV;
  if (text === undefined || text === '') {
    if (sources.insecure) return INSECURE_KEY;
    throw new RuntimeConfigError(`no cluster secret: give --cluster-secret-file PATH or set ${SECRET_ENV} (or pass --insecure-peers to let any local process speak as a peer)`);
  }
  if (sources.insecure) throw new RuntimeConfigError(`--insecure-peers and a cluster secret (${where}) contradict each other: give one`);
  const secret = text.trim();
  if (secret.length < MIN_SECRET_CHARS || secret.length > MAX_SECRET_CHARS) {
    throw new RuntimeConfigError(`${where}: the secret must be ${MIN_SECRET_CHARS} to ${MAX_SECRET_CHARS} characters, got ${secret.length}`);
  }
  return { key: Buffer.from(secret, 'utf8'), insecure: false };
}

function readSecretFile(path: string): string {
  try {
    // Like ssh with a private key: a secret others can read is no secret.
    if ((statSync(path).mode & 0o077) !== 0) throw new RuntimeConfigError(`cluster secret file ${path} is readable by others: chmod 600 it`);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof RuntimeConfigError) throw error;
    throw new RuntimeConfigError(`cannot read cluster secret file ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
}

export function generateClusterSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Writes a fresh secret to `dir`/cluster-secret, readable by the owner only, and returns its path. */
export function writeClusterSecretFile(dir: string): string {
  const path = join(dir, 'cluster-secret');
  try {
    unlinkSync(path); // a file left by an earlier run may have other permissions: start over
  } catch {
    // none yet
  }
  writeFileSync(path, `${generateClusterSecret()}\n`, { mode: 0o600, flag: 'wx' });
  return path;
}
