#!/usr/bin/env node
// Until src/cli/main.ts registers serve, cluster and client, the runtime tests run the built
// commands through this stand-in for main.js (same yargs setup, same exit codes). helpers.ts uses
// the real main.js as soon as it knows `serve`.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { serveCommand } from '../../dist/src/cli/serve.js';
import { clusterCommand } from '../../dist/src/cli/cluster.js';
import { clientCommand } from '../../dist/src/cli/client.js';
import { UsageError } from '../../dist/src/cli/errors.js';

function fail(message) {
  process.stderr.write(`raftsim: ${message.split('\n')[0]}\n`);
  process.exit(2);
}

try {
  await yargs(hideBin(process.argv)).scriptName('raftsim')
    .command(serveCommand).command(clusterCommand).command(clientCommand)
    .demandCommand(1).strict()
    .fail((message, error) => {
      if (error && !(error instanceof UsageError)) throw error;
      fail(error ? error.message : message);
    })
    .help().parseAsync();
} catch (error) {
  if (error instanceof UsageError) fail(error.message);
  throw error;
}
