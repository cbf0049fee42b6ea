/**
 * Temporary folders of tests, removed when the test process exits, whether
 * its tests passed or failed (a test may still use one after its own test,
 * e.g. a box started again on a data folder, so not any sooner).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** Removes `dir` (a folder or file) when the test process exits. */
export function removeAtExit(dir: string): string {
  if (made.length === 0) {
    process.once('exit', () => {
      for (const d of made) {
        try {
          fs.rmSync(d, { recursive: true, force: true, maxRetries: 3 });
        } catch {
          // A folder a stray child process still writes to is left behind rather than failing the run.
        }
      }
    });
  }
  made.push(dir);
  return dir;
}

/** A new folder `<tmpdir>/<prefix>XXXXXX`, removed when the test process exits. */
export function tempDir(prefix: string): string {
  return removeAtExit(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}
