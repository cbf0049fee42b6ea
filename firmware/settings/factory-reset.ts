/**
 * Factory reset (恢复出厂设置): the configuration folder returns to the
 * factory state at the next start, before anything reads it. Requested by a
 * marker file so that the running daemon never rewrites what was reset and a
 * power loss in between only delays it. Kept: the license and the trial's
 * clock, the device key of the chain of custody, and the operation log.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './settings-file.ts';

export const FACTORY_RESET_MARKER = 'factory-reset.requested';
/** What a factory reset keeps in the configuration folder. */
export const KEPT_BY_FACTORY_RESET = ['license', 'journal', 'device-key.pem', 'device-key.next.pem', FACTORY_RESET_MARKER];

export async function requestFactoryReset(configDir: string): Promise<void> {
  await writeFileAtomic(path.join(configDir, FACTORY_RESET_MARKER), `${new Date().toISOString()}\n`);
}

/** Performs a requested reset; returns the names removed, or null when none was requested. */
export async function applyRequestedFactoryReset(configDir: string): Promise<string[] | null> {
  const marker = path.join(configDir, FACTORY_RESET_MARKER);
  try {
    await fs.access(marker);
  } catch {
    return null;
  }
  const removed: string[] = [];
  for (const name of await fs.readdir(configDir)) {
    if (KEPT_BY_FACTORY_RESET.includes(name)) continue;
    await fs.rm(path.join(configDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  await fs.rm(marker, { force: true });
  return removed;
}
