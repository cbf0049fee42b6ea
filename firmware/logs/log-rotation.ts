/**
 * Keeps the running log within its budget: when `recorder.log` passes its
 * size, it is copied to `recorder.log.1` (older copies move up, the last
 * one goes) and emptied in place. The logger writes in append mode, so it
 * goes on at the start of the emptied file without reopening it; lines
 * written between the copy and the emptying are the only ones lost.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';

export interface RotationLimits {
  /** The running file is rotated past this size. */
  maxBytes: number;
  /** Rotated copies kept (recorder.log.1 … .N). */
  keep: number;
}

export const DEFAULT_ROTATION: Readonly<RotationLimits> = Object.freeze({ maxBytes: 4 * 1024 * 1024, keep: 3 });

/** Rotates `file` in `dir` when it is past its size; true when it did. */
export async function rotateIfLarge(dir: string, file: string, limits: RotationLimits = DEFAULT_ROTATION): Promise<boolean> {
  const live = path.join(dir, file);
  const st = await fsp.stat(live).catch(() => null);
  if (!st || st.size <= limits.maxBytes) return false;
  await fsp.rm(`${live}.${limits.keep}`, { force: true });
  for (let i = limits.keep - 1; i >= 1; i--) {
    await fsp.rename(`${live}.${i}`, `${live}.${i + 1}`).catch(() => undefined);
  }
  if (limits.keep >= 1) await fsp.copyFile(live, `${live}.1`);
  await fsp.truncate(live, 0);
  return true;
}
