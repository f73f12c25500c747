// `npm run bench`: every benchmark in sequence; each prints its own figures.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const only = process.argv.slice(2);
const dir = import.meta.dirname;
const benches = fs
  .readdirSync(dir)
  .filter((file) => file.endsWith('-bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();
let failed = false;
for (const file of benches) {
  console.log(`\n### ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
