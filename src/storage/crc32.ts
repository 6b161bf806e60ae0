/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial). Node's zlib.crc32 (Node >= 20.15 / 22.2) is native
 * and fast; older Nodes get a table-driven fallback that computes the same values.
 */
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array) => number;

const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Uint32Array | null = null;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** Exported for the test that checks the fallback agrees with zlib. */
export function crc32Fallback(data: Uint8Array): number {
  const t = crcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const crc32: Crc32 = nativeCrc32 ? (data) => nativeCrc32(data) >>> 0 : crc32Fallback;
