/**
 * The code version recorded in failure files: the package version plus a short hash of the built
 * code, so that a replay can say plainly when the code has changed since a failure was recorded.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function codeVersion(): string {
  if (cached) return cached;
  const srcRoot = dirname(dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha256');
  for (const file of listFiles(srcRoot)) {
    if (!/\.(js|ts)$/.test(file) || file.includes(`${join('src', 'cli')}`)) continue;
    hash.update(file.slice(srcRoot.length));
    hash.update(readFileSync(file));
  }
  cached = `${packageVersion(srcRoot)}+${hash.digest('hex').slice(0, 12)}`;
  return cached;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function packageVersion(from: string): string {
  let dir = from;
  for (let i = 0; i < 4; i++) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      dir = dirname(dir);
    }
  }
  return '0.0.0';
}
