/**
 * Start-up progress for the supervisor (recorder-supervise, docs/image.md):
 * while a long start-up step runs (an index conversion of millions of
 * recordings), the daemon rewrites the file named by RECORDER_PROGRESS_FILE
 * with what it has done so far, at most once a second. The supervisor gives
 * a start-up whose progress keeps changing more time than
 * RECORDER_START_TIMEOUT, instead of taking it for a failed start and
 * rolling an upgrade back.
 */
import { writeFileSync } from 'node:fs';

export function progressFileReporter(file: string | undefined, now: () => number = Date.now, everyMs = 1000): (what: string) => void {
  if (!file) return () => undefined;
  let last = -Infinity;
  return (what) => {
    const t = now();
    if (t - last < everyMs) return;
    last = t;
    try {
      writeFileSync(file, `${what}\n`);
    } catch {
      // No run directory (started by hand): nobody to tell.
    }
  };
}
