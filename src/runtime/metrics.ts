/**
 * A node's Prometheus metrics (prom-client), in a registry of its own so that several nodes in one
 * process (tests) do not collide. Gauges are set from the node after every input; counters and
 * histograms are fed by the node loop and storage.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RaftNodeApi } from '../raft/node.js';
import type { Role } from '../raft/types.js';

const ROLES: readonly Role[] = ['follower', 'pre-candidate', 'candidate', 'leader'];

export class NodeMetrics {
  readonly registry = new Registry();
  private readonly role = new Gauge({ name: 'raft_role', help: '1 for the role this node is in, 0 for the others', labelNames: ['role'], registers: [this.registry] });
  private readonly term = new Gauge({ name: 'raft_term', help: 'Current term', registers: [this.registry] });
  private readonly commitIndex = new Gauge({ name: 'raft_commit_index', help: 'Highest log index known committed', registers: [this.registry] });
  private readonly lastApplied = new Gauge({ name: 'raft_last_applied', help: 'Highest log index applied to the KV store', registers: [this.registry] });
  private readonly firstIndex = new Gauge({ name: 'raft_log_first_index', help: 'First index still in the log (snapshot index + 1)', registers: [this.registry] });
  private readonly lastIndex = new Gauge({ name: 'raft_log_last_index', help: 'Last index in the log', registers: [this.registry] });
  private readonly isLeaderKnown = new Gauge({ name: 'raft_leader_known', help: '1 if this node knows a leader for its term', registers: [this.registry] });
  private readonly configVoters = new Gauge({ name: 'raft_config_voters', help: 'Voters in the configuration in force (the latest in the log)', registers: [this.registry] });
  private readonly configLearners = new Gauge({ name: 'raft_config_learners', help: 'Learners in the configuration in force', registers: [this.registry] });
  private readonly configIndex = new Gauge({ name: 'raft_config_index', help: 'Log index of the entry that set the configuration (0: the bootstrap or a snapshot\'s)', registers: [this.registry] });
  readonly elections = new Counter({ name: 'raft_elections_total', help: 'Elections this node started (times it became candidate)', registers: [this.registry] });
  readonly leaderships = new Counter({ name: 'raft_leaderships_total', help: 'Times this node became leader', registers: [this.registry] });
  readonly proposals = new Counter({ name: 'raft_proposals_total', help: 'Client commands appended to the log by this node as leader', registers: [this.registry] });
  readonly requests = new Counter({ name: 'kv_requests_total', help: 'Client KV requests by HTTP status', labelNames: ['status'], registers: [this.registry] });
  readonly commitLatency = new Histogram({
    name: 'kv_commit_latency_seconds', help: 'From proposing a client command to applying it (answered ok)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry],
  });
  readonly fsyncLatency = new Histogram({
    name: 'storage_fsync_seconds', help: 'Duration of each storage fsync',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [this.registry],
  });
  readonly tickLateness = new Histogram({
    name: 'raftsim_tick_lateness_seconds', help: 'How late each Raft tick fired after it was due (event loop held by other work)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers: [this.registry],
  });
  private readonly tickLatenessMax = new Gauge({ name: 'raftsim_tick_lateness_max_seconds', help: 'The latest any tick has fired since the node started', registers: [this.registry] });
  readonly overloaded = new Counter({
    name: 'raftsim_overloaded_total', help: 'Requests and connections answered 503 overloaded, by the bound that was full',
    labelNames: ['reason'], registers: [this.registry],
  });
  readonly pendingRequests = new Gauge({ name: 'raftsim_pending_requests', help: 'Client requests admitted and not yet answered', registers: [this.registry] });
  readonly httpConnections = new Gauge({ name: 'raftsim_http_connections', help: 'Open HTTP connections', registers: [this.registry] });
  readonly httpDeadlineCloses = new Counter({
    name: 'raftsim_http_deadline_closes_total', help: 'HTTP connections closed at a deadline, by what was late (headers, body, idle)',
    labelNames: ['phase'], registers: [this.registry],
  });
  /** 1 for how this node answers gets (raftsim serve --read-mode), 0 for the other modes. */
  readonly readMode = new Gauge({ name: 'raftsim_read_mode', help: 'How GET /kv is answered: 1 for the configured mode (log, read-index, lease)', labelNames: ['mode'], registers: [this.registry] });
  private maxTickLateness = 0;
  private lastRole: Role | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Copies the node's state into the gauges and counts role changes. */
  observe(node: RaftNodeApi<unknown>): void {
    const role = node.role;
    if (role !== this.lastRole) {
      if (role === 'candidate') this.elections.inc();
      if (role === 'leader') this.leaderships.inc();
      for (const r of ROLES) this.role.set({ role: r }, r === role ? 1 : 0);
      this.lastRole = role;
    }
    this.term.set(node.term);
    this.commitIndex.set(node.commitIndex);
    this.lastApplied.set(node.lastApplied);
    this.firstIndex.set(node.firstIndex);
    this.lastIndex.set(node.lastIndex);
    this.isLeaderKnown.set(node.leaderId === null ? 0 : 1);
    const config = node.configuration;
    this.configVoters.set(config.voters.length);
    this.configLearners.set(config.learners.length);
    this.configIndex.set(node.configurationIndex);
  }

  observeTickLateness(seconds: number): void {
    this.tickLateness.observe(seconds);
    if (seconds > this.maxTickLateness) {
      this.maxTickLateness = seconds;
      this.tickLatenessMax.set(seconds);
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
