import { buildWithProgress } from '../catalog/index.js';
import type { Config } from '../config/index.js';
import { DirectoryProvider } from '../directory/index.js';
import {
  DomainSelector,
  NO_REGISTERED_TOOLKITS,
  ToolCatalog,
  builtinToolkits,
} from '../tools/index.js';
import { DOMAIN_SELECTION_SUITE } from './domain-selection-suite.js';
import type { CommandOutput } from './eval-command.js';
import { evaluateDomainSelection } from './evaluate-domain-selection.js';
import { formatSelectionReport } from './format-selection-report.js';

const EVAL_SCOPE = { projectId: 'eval', environment: 'live' } as const;

/** Runs the labeled domain-selection suite over the public directory and the built-ins. */
export async function runSelectionEval(
  config: Config,
  output: CommandOutput,
  options: { json: boolean },
): Promise<number> {
  if (!config.catalog.directory) {
    output.stderr.write(
      'The suite is labeled against the public directory: unset CADRE_DIRECTORY=off.\n',
    );
    return 1;
  }
  const provider = new DirectoryProvider({
    catalogDir: config.catalog.dir,
    enabled: true,
    reservedNames: new Set([...builtinToolkits.map((toolkit) => toolkit.name), 'model', 'cadre']),
  });
  try {
    if (buildWithProgress(provider, output, false) === undefined) return 1;
    const catalog = new ToolCatalog(NO_REGISTERED_TOOLKITS, provider);
    const selector = new DomainSelector(catalog, config.selection.toolCap);
    const select = (prompt: string) => selector.selectDomain(EVAL_SCOPE, prompt);
    // Untimed first deploy: the first one pays for building the scope's view.
    await select(DOMAIN_SELECTION_SUITE[0]?.prompt ?? '');
    const all = await evaluateDomainSelection(DOMAIN_SELECTION_SUITE, select);
    const tuning = await evaluateDomainSelection(
      DOMAIN_SELECTION_SUITE.filter((labeled) => labeled.heldOut !== true),
      select,
    );
    const heldOut = await evaluateDomainSelection(
      DOMAIN_SELECTION_SUITE.filter((labeled) => labeled.heldOut === true),
      select,
    );
    output.stdout.write(
      options.json
        ? `${JSON.stringify({ all, tuning, heldOut }, null, 2)}\n`
        : formatSelectionReport({ all, tuning, heldOut }),
    );
    return 0;
  } finally {
    await provider.close();
  }
}
