/**
 * Host:port addresses. Nodes talk over loopback only (127.0.0.1): this runtime is for running a
 * real cluster on one machine, and nothing here authenticates a peer.
 */
import { RuntimeConfigError } from './runtimeConfigError.js';

export interface Address {
  readonly host: string;
  readonly port: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

/** `127.0.0.1:7001` → {host, port}; `localhost` is read as 127.0.0.1. Port 0 only if allowed. */
export function parseAddress(text: string, options: { allowPortZero?: boolean } = {}): Address {
  const match = /^([^:\s]+):([0-9]{1,5})$/.exec(text.trim());
  if (match === null) throw new RuntimeConfigError(`bad address "${text}": expected 127.0.0.1:PORT`);
  const [, host, portText] = match as unknown as [string, string, string];
  if (!LOOPBACK.has(host)) throw new RuntimeConfigError(`address "${text}" is not loopback: only 127.0.0.1 is allowed`);
  const port = Number(portText);
  const lowest = options.allowPortZero === true ? 0 : 1;
  if (port < lowest || port > 65535) throw new RuntimeConfigError(`bad port in "${text}"`);
  return { host: '127.0.0.1', port };
}

export function formatAddress(address: Address): string {
  return `${address.host}:${address.port}`;
}

export function httpUrl(address: Address, path = ''): string {
  return `http://${formatAddress(address)}${path}`;
}
