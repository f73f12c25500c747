// The background build of the directory index: a child of `cadre serve` (see
// directory-provider.ts). It reports progress over IPC and exits with its parent.
import { buildDirectoryIndex } from './build-directory-index.js';
import type { BuildMessage } from './directory-provider.js';

interface BuildRequest {
  specRoot: string;
  directoryVersion: string;
  file: string;
  reservedNames: string[];
}

function send(message: BuildMessage): void {
  process.send?.(message);
}

let finished = false;
process.on('disconnect', () => {
  if (!finished) process.exit(1);
});

try {
  const request = JSON.parse(process.env.CADRE_DIRECTORY_BUILD ?? '') as BuildRequest;
  let lastSent = 0;
  const stats = buildDirectoryIndex({
    specRoot: request.specRoot,
    directoryVersion: request.directoryVersion,
    file: request.file,
    reservedNames: new Set(request.reservedNames),
    onProgress: (progress) => {
      const now = Date.now();
      if (progress.phase !== 'reading' || now - lastSent > 500) {
        lastSent = now;
        send({ type: 'progress', progress });
      }
    },
  });
  send({ type: 'done', stats });
  process.exitCode = 0;
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
} finally {
  finished = true;
  process.disconnect?.();
}
