/**
 * The bootstrap voters: every node of the cluster file unless a voters list (the file's "voters",
 * or serve --voters) names fewer; the others start as spares. `raftsim cluster --spares` passes
 * the list to every node.
 */
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../../src/runtime/addresses.js';
import { membersFromFile, membersFromPeers } from '../../../src/runtime/clusterConfig.js';
import { LocalCluster } from '../../../src/runtime/localCluster.js';

const nodes = [1, 2, 3, 4].map((k) => ({ id: `n${k}`, address: `127.0.0.1:${7000 + k}` }));

describe('bootstrap voters', () => {
  it('are every node by default, or the file\'s list, or --voters', () => {
    expect(membersFromFile(1, { nodes }, null).voters).toEqual([1, 2, 3, 4]);
    expect(membersFromFile(4, { nodes, voters: ['n3', 'n1', 'n2'] }, null).voters).toEqual([1, 2, 3]);
    expect(membersFromFile(4, { nodes, voters: ['n1'] }, null, null, 'n2,n3').voters).toEqual([2, 3]);
    const peers = 'n2=127.0.0.1:7002,n3=127.0.0.1:7003,n4=127.0.0.1:7004';
    expect(membersFromPeers(1, parseAddress('127.0.0.1:7001'), peers).voters).toEqual([1, 2, 3, 4]);
    expect(membersFromPeers(4, parseAddress('127.0.0.1:7004'), 'n1=127.0.0.1:7001', null, 'n1').voters).toEqual([1]);
  });

  it.each<[string, unknown]>([
    ['an empty list', []],
    ['a node outside the file', ['n1', 'n5']],
    ['a repeat', ['n1', 'n1']],
    ['a bad name', ['one']],
    ['not a list', 'n1'.length],
  ])('refuses %s', (_, voters) => {
    expect(() => membersFromFile(1, { nodes, voters }, null)).toThrow(/voters|node id/);
  });

  it('raftsim cluster --spares starts the spares with the voters list', () => {
    const cluster = new LocalCluster({
      serveCommand: ['main.js', 'serve'], nodes: 3, spares: 1, basePort: 7001, dataDir: '/tmp/x', secretFile: '/tmp/x/secret',
      onStderr: () => undefined, onExit: () => undefined,
    });
    expect(cluster.nodes.map((n) => [n.name, n.spare])).toEqual([['n1', false], ['n2', false], ['n3', false], ['n4', true]]);
    const args = cluster.serveArgs(cluster.nodes[3]!);
    expect(args[args.indexOf('--voters') + 1]).toBe('n1,n2,n3');
    expect(args[args.indexOf('--peers') + 1]).toContain('n3=127.0.0.1:7003');
    const plain = new LocalCluster({ serveCommand: ['main.js', 'serve'], nodes: 3, basePort: 7001, dataDir: '/tmp/x', secretFile: '/tmp/s', onStderr: () => undefined, onExit: () => undefined });
    expect(plain.serveArgs(plain.nodes[0]!)).not.toContain('--voters');
  });
});
