/**
 * Faults at rest: damage to data the disk holds, which the world applies between a crash and the
 * restart (TigerBeetle's storage faults). Each returns false, changing nothing, when the bytes it
 * aims at do not exist. They change the bytes in place without logging: the damage is durable.
 */
import type { FileNode, Usage } from './nodes.js';

export const SECTOR_BYTES = 512;

/** Inverts one bit (0..7) of the byte at `offset`. */
export function flipBit(file: FileNode, offset: number, bit: number): boolean {
  if (!inFile(file, offset) || !Number.isInteger(bit) || bit < 0 || bit > 7) return false;
  file.content.view()[offset]! ^= 1 << bit;
  return true;
}

/** Zeros the 512-byte sector starting at `offset` (a multiple of 512), clipped at the end of the file. */
export function zeroSector(file: FileNode, offset: number): boolean {
  if (offset % SECTOR_BYTES !== 0) throw new Error(`simfs: sector offset ${offset} is not a multiple of ${SECTOR_BYTES}`);
  if (!inFile(file, offset)) return false;
  file.content.zero(offset, offset + SECTOR_BYTES);
  return true;
}

/** The bytes [from, to) read as zeros: a write the disk acknowledged but never stored. */
export function loseWrite(file: FileNode, from: number, to: number): boolean {
  if (!rangeInFile(file, from, to)) return false;
  file.content.zero(from, to);
  return true;
}

/**
 * A write that went to the wrong place: [from, to) of `file` read as zeros, and its bytes land at
 * `targetOffset` of `target` instead (overwriting; growing the target, zeros in any gap).
 */
export function misdirectWrite(
  file: FileNode, from: number, to: number, target: FileNode, targetOffset: number, usage: Usage,
): boolean {
  if (!rangeInFile(file, from, to) || !Number.isInteger(targetOffset) || targetOffset < 0) return false;
  const moved = file.content.view().slice(from, to);
  file.content.zero(from, to);
  const before = target.content.size;
  target.content.place(targetOffset, moved);
  if (target.nlink > 0) usage.used += target.content.size - before;
  return true;
}

function inFile(file: FileNode, offset: number): boolean {
  return Number.isInteger(offset) && offset >= 0 && offset < file.content.size;
}

function rangeInFile(file: FileNode, from: number, to: number): boolean {
  return Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from < to && to <= file.content.size;
}
