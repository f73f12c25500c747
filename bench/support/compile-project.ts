import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './child-server.js';

/** Runs `tsc -p <project>` (relative to the repository root); throws with its output on failure. */
export function compileProject(project: string): void {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', project], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tsc -p ${project} failed:\n${run.stdout}`);
}
