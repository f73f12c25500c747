import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { runKeysCommand } from './keys-command.js';
import { runServeCommand } from './serve-command.js';

const USAGE = `Usage: cadre <command> [options]

Commands:
  serve [--role all|api|worker] [--host H] [--port P]   start the server (default role: all)
  keys create [--test] [--name NAME] [--project P]      create an API key (printed last)
  keys list                                             list API keys (never the secrets)
  keys revoke KEY_ID                                    revoke a key at once
  trace TASK_ID                                         print a task's trace as a timeline
  secrets rotate                                        re-seal stored secrets with CADRE_SECRET_KEY
  secrets status                                        count stored secrets per key id
  catalog build [--force]                               build the public API directory's index
  catalog status                                        show the directory index's state
  catalog search "QUERY" [--toolkit T] [--limit N]      rank the catalog's tools for a query
  catalog toolkits "QUERY" [--limit N]                  rank the catalog's toolkits
  eval retrieval FILE.json                              score tool ranking on an eval set
  eval selection [--json]                               score domain selection on the labeled suite

Configuration comes from CADRE_* environment variables (see README).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 1 : 0;
  }
  const config = readConfig();
  switch (command) {
    case 'serve':
      return runServeCommand(
        config,
        parseArgs({
          args: rest,
          options: {
            role: { type: 'string', default: 'all' },
            host: { type: 'string' },
            port: { type: 'string' },
          },
        }).values,
      );
    case 'keys':
      return runKeysCommand(config, rest);
    case 'trace': {
      const { runTraceCommand } = await import('./trace-command.js');
      return runTraceCommand(config, rest);
    }
    case 'secrets': {
      const { runSecretsCommand } = await import('./secrets-command.js');
      return runSecretsCommand(config, rest);
    }
    case 'catalog': {
      const { runCatalogCommand } = await import('../catalog/index.js');
      return runCatalogCommand(config, rest);
    }
    case 'eval': {
      const { runEvalCommand } = await import('../eval/index.js');
      return runEvalCommand(rest, process, config);
    }
    default:
      process.stderr.write(`Unknown command '${command}'.\n\n${USAGE}\n`);
      return 1;
  }
}

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
