/**
 * What the runtime tests use, in one import: the built CLI, loopback ports, bounded condition
 * waits, small HTTP calls and clusters of serve processes (all in test/support).
 */
export { cliEntry, raftsimAsync, raftsimSync } from '../support/cli.js';
export { http, type HttpAnswer } from '../support/http.js';
export { freePortRange, freePorts, PortTakenError, retryWhilePortTaken, saysPortTaken } from '../support/ports.js';
export { TestCluster, type NodeStatus } from '../support/testCluster.js';
export { scaled } from '../support/timeFactor.js';
export { waitFor } from '../support/wait.js';
