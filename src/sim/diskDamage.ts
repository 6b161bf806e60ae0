/**
 * The storage engine's disk faults (disk.storage "engine"): damage at rest, and a full disk.
 *
 * Damage is aimed where the engine's format vouches for the bytes, so that a correct engine
 * always either notices it (and refuses to start) or loses nothing by it:
 * - every WAL segment before the one the durable mark names, whole;
 * - that segment up to the mark's offset (the mark says those bytes were synced);
 * - every snapshot file, and the mark itself (two slots: damage to one leaves the other).
 * A lost write takes the file's latest writes, from a vouched byte to its end (a disk that
 * acknowledged fsyncs it never did); a misdirected write moves a few sectors elsewhere.
 * Past the mark, the last segment's tail is not aimed at: there a damaged record looks exactly
 * like a torn write, which recovery cuts by design (the mark lags by up to 100 ms to keep fsyncs
 * cheap). Telling them apart needs a second copy of each record's header, as TigerBeetle's WAL
 * keeps; that is a known limit, stated in the README.
 *
 * A machine whose damage the engine noticed stays down for good (as a real node would, until an
 * operator replaces it). So that the cluster keeps a majority, damage goes to at most
 * floor((n - 1) / 2) machines per run; past that, the action is traced as skipped.
 */
import { decodeMark, MARK_NAME } from '../storage/durableMark.js';
import { classify } from '../storage/fileNames.js';
import { SIM_DATA_DIR } from './engineDisk.js';
import { TraceCode } from './events.js';
import type { DiskDamage, FaultAction } from './faults.js';
import type { Prng } from './prng.js';
import type { SimFileSystem } from './simfs/index.js';
import { SECTOR_BYTES } from './simfs/index.js';
import type { World } from './world.js';

type DiskFault = Extract<FaultAction, { kind: 'disk-damage' | 'disk-full' }>;

/** A byte range the engine vouches for. */
interface Region {
  readonly path: string;
  readonly from: number;
  readonly to: number;
}

/** The largest write a lost or misdirected write takes away: a few sectors. */
const WRITE_EXTENT_MAX = 8 * SECTOR_BYTES;

export function applyDiskFault(world: World, action: DiskFault): void {
  if (world.healed) return;
  const engines = world.engines;
  const host = world.host(action.node);
  if (engines === null) {
    world.trace.record({ t: world.now, ev: 'fault-skipped', node: action.node, why: 'disk.storage is "model": no files to damage or fill' });
    return;
  }
  if (action.kind === 'disk-full') {
    const now = world.now;
    world.trace.note(() => ({ t: now, ev: 'disk-full', node: action.node, untilMs: now + action.forMs }), TraceCode.diskFull, now, action.node, action.forMs);
    return engines.fillDisk(host, action.forMs);
  }
  if (!engines.mayDamage(host)) {
    world.trace.record({ t: world.now, ev: 'fault-skipped', node: action.node, why: host.refused !== null ? 'the machine is down for good' : 'damage already reached a minority of the machines' });
    return;
  }
  world.crashNode(host);
  const what = damage(engines.disk(host).fs, action.damage, world.prng.child(`disk-damage/${world.now}/${action.node}`));
  world.trace.note(() => ({ t: world.now, ev: 'disk-damage', node: action.node, damage: action.damage, what: what ?? 'nothing to damage' }),
    TraceCode.diskDamage, world.now, action.node, what === null ? 0 : 1);
  if (what !== null) engines.damaged(host);
  if (action.forMs !== undefined) world.schedule({ kind: 'fault', action: { atMs: world.now + action.forMs, kind: 'restart', node: action.node } }, action.forMs);
}

/** Damages one vouched-for byte range of the machine's files; says what, or null when there is nothing yet. */
export function damage(fs: SimFileSystem, kind: DiskDamage, prng: Prng): string | null {
  const regions = vouchedRegions(fs);
  const total = regions.reduce((sum, r) => sum + (r.to - r.from), 0);
  if (total === 0) return null;
  const region = pickByteWeighted(regions, total, prng);
  const at = prng.rangeInclusive(region.from, region.to - 1);
  const name = region.path.slice(SIM_DATA_DIR.length + 1);
  switch (kind) {
    case 'bit-flip': {
      const bit = prng.int(8);
      fs.flipBit(region.path, at, bit);
      return `${name}: bit ${bit} of byte ${at} flipped`;
    }
    case 'zero-sector': {
      const sector = Math.floor(at / SECTOR_BYTES) * SECTOR_BYTES;
      fs.zeroSector(region.path, sector);
      return `${name}: sector at byte ${sector} zeroed`;
    }
    case 'lost-write': {
      // A disk that acknowledged fsyncs it did not do loses its latest writes: the file's end.
      const to = fs.fileSize(region.path) ?? region.to;
      fs.loseWrite(region.path, at, to);
      return `${name}: bytes ${at}..${to - 1} never reached the disk (its latest writes were lost)`;
    }
    case 'misdirected-write': {
      const to = Math.min(region.to, at + prng.rangeInclusive(1, WRITE_EXTENT_MAX));
      const target = pickByteWeighted(regions, total, prng);
      const targetAt = prng.rangeInclusive(target.from, target.to - 1);
      fs.misdirectWrite(region.path, at, to, target.path, targetAt);
      return `${name}: bytes ${at}..${to - 1} written at byte ${targetAt} of ${target.path.slice(SIM_DATA_DIR.length + 1)} instead`;
    }
  }
}

/** The byte ranges of the data directory that the engine's format vouches for (see the file's comment). */
export function vouchedRegions(fs: SimFileSystem): Region[] {
  const names = fs.listFiles().filter((path) => path.startsWith(`${SIM_DATA_DIR}/`)).map((path) => path.slice(SIM_DATA_DIR.length + 1));
  const listing = classify(names);
  const path = (name: string): string => `${SIM_DATA_DIR}/${name}`;
  const size = (name: string): number => fs.fileSize(path(name)) ?? 0;
  const regions: Region[] = [];
  let mark: { seq: number; offset: number } | null = null;
  if (names.includes(MARK_NAME)) {
    regions.push({ path: path(MARK_NAME), from: 0, to: size(MARK_NAME) });
    try {
      mark = decodeMark(path(MARK_NAME), Buffer.from(fs.readCurrent(path(MARK_NAME)) ?? new Uint8Array(0))).position;
    } catch {
      mark = null; // no valid slot: the engine refuses whatever else happens
    }
  }
  for (const segment of listing.segments) {
    if (mark === null || segment.seq > mark.seq) continue;
    const to = segment.seq < mark.seq ? size(segment.name) : Math.min(mark.offset, size(segment.name));
    regions.push({ path: path(segment.name), from: 0, to });
  }
  for (const snapshot of listing.snapshots) regions.push({ path: path(snapshot.name), from: 0, to: size(snapshot.name) });
  return regions.filter((r) => r.to > r.from);
}

function pickByteWeighted(regions: readonly Region[], total: number, prng: Prng): Region {
  let at = prng.int(total);
  for (const region of regions) {
    const length = region.to - region.from;
    if (at < length) return region;
    at -= length;
  }
  return regions.at(-1)!;
}
