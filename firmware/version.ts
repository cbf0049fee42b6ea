/**
 * Software version shown in device info. A production bundle carries a
 * `build-info.json` next to it (written by the bundler, stamped again with the
 * build time by the image's post-build script); the source tree falls back to
 * package.json. `RECORDER_VERSION` overrides both.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BuildInfo {
  version: string;
  /** ISO 8601 time of the build, when stamped. */
  builtAt?: string;
  commit?: string;
  board?: string;
}

const programDir = path.dirname(fileURLToPath(import.meta.url));

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function readBuildInfo(dir: string = programDir): BuildInfo {
  const stamp = readJson(path.join(dir, 'build-info.json'));
  const version = str(stamp?.version) ?? str(readJson(path.resolve(dir, '../package.json'))?.version) ?? 'unknown';
  const info: BuildInfo = { version };
  const builtAt = str(stamp?.builtAt);
  const commit = str(stamp?.commit);
  const board = str(stamp?.board);
  if (builtAt) info.builtAt = builtAt;
  if (commit) info.commit = commit;
  if (board) info.board = board;
  return info;
}

/** `0.1.0`, or `0.1.0 (2025-01-31T08:00:00Z)` for a stamped build. */
export function formatVersion(info: BuildInfo): string {
  return info.builtAt ? `${info.version} (${info.builtAt})` : info.version;
}

export const BUILD_INFO: BuildInfo = readBuildInfo();
export const VERSION: string = process.env.RECORDER_VERSION ?? formatVersion(BUILD_INFO);
