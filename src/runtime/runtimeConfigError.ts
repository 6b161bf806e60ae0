/**
 * A bad node or cluster configuration (an id, address or config file). The runtime cannot import
 * the CLI's UsageError, so the CLI turns this one into it (one line, exit 2).
 */
export class RuntimeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeConfigError';
  }
}
