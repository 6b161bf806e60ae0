/**
 * Finds and loads scenario files: a name from the bundled `scenarios/` folder, or a path to a
 * user's own JSON file. Bad input becomes a UsageError naming the file and the field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario, ScenarioError } from '../sim/scenario.js';
import type { Scenario } from '../sim/scenario.js';
import { UsageError } from './errors.js';

/** The bundled scenarios folder, found from this file both under src/ (tests) and dist/src/ (built). */
export function scenariosDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'scenarios');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('cannot find the bundled scenarios/ folder');
}

export function bundledScenarioNames(): string[] {
  return readdirSync(scenariosDir())
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** A bundled scenario's name, or a path to a JSON file (anything with a slash or ending in .json). */
export function loadScenario(nameOrPath: string): Scenario {
  const isPath = nameOrPath.includes('/') || nameOrPath.endsWith('.json');
  const file = isPath ? resolve(nameOrPath) : join(scenariosDir(), `${nameOrPath}.json`);
  if (!existsSync(file)) {
    if (isPath) throw new UsageError(`${nameOrPath}: no such file`);
    throw new UsageError(`unknown scenario "${nameOrPath}" (known: ${bundledScenarioNames().join(', ')})`);
  }
  return parseScenarioText(readFileSync(file, 'utf8'), isPath ? nameOrPath : `${nameOrPath}.json`, basename(file, '.json'));
}

export function parseScenarioText(text: string, label: string, name: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${label}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  try {
    return parseScenario(raw, name);
  } catch (error) {
    if (error instanceof ScenarioError) throw new UsageError(`${label}: ${error.message}`);
    throw error;
  }
}
