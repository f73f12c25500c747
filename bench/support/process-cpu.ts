import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

// Kernel clock ticks per second, the unit of /proc/<pid>/stat's CPU times (almost always 100).
const TICKS_PER_SECOND = (() => {
  const run = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(run.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/**
 * CPU seconds (user + system, all threads) a process has used so far, from /proc; undefined
 * where there is no /proc. Lets a bench report a server's CPU per request, a figure the load
 * generator sharing the machine moves much less than throughput.
 */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may contain spaces) start at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return Number.isFinite(user) && Number.isFinite(system)
    ? (user + system) / TICKS_PER_SECOND
    : undefined;
}
