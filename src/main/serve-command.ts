import type { Config } from '../config/index.js';
import { boundHeapGrowth } from './bound-heap-growth.js';
import { createCadre, type Role } from './create-cadre.js';
import { createLogger } from './create-logger.js';

const ROLES: readonly Role[] = ['all', 'api', 'worker'];

/** `cadre serve`: runs until SIGINT/SIGTERM, then shuts down cleanly. */
export async function runServeCommand(
  baseConfig: Config,
  flags: { role?: string; host?: string; port?: string },
): Promise<number> {
  const role = (flags.role ?? 'all') as Role;
  if (!ROLES.includes(role)) {
    process.stderr.write(`--role must be one of ${ROLES.join(', ')}.\n`);
    return 2;
  }
  const config: Config = {
    ...baseConfig,
    http: {
      ...baseConfig.http,
      ...(flags.host === undefined ? {} : { host: flags.host }),
      ...(flags.port === undefined ? {} : { port: Number(flags.port) }),
    },
  };
  boundHeapGrowth();
  const logger = createLogger(config.logLevel);
  const cadre = await createCadre(config, { role, logger, directoryBuild: 'background' });
  if (cadre.app !== undefined) {
    const address = await cadre.app.listen({ host: config.http.host, port: config.http.port });
    logger.info(
      {
        address,
        role,
        database: config.database.kind,
        model:
          config.model === undefined
            ? 'not configured'
            : `${config.model.provider}:${config.model.modelId}`,
      },
      `Cadre listening on ${address}`,
    );
  } else {
    logger.info({ role, database: config.database.kind }, 'Cadre worker started');
  }
  // The worker's timers are unref'd, and a worker on SQLite holds no socket: without this
  // handle the process would exit as soon as it started.
  const keepAlive = setInterval(() => undefined, 60_000);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(keepAlive);
  logger.info('shutting down');
  await cadre.close();
  return 0;
}
