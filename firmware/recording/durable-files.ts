/** Making file changes durable, and clearing what an interrupted one left behind. */
import fs from 'node:fs/promises';
import path from 'node:path';

/** Syncs a folder, so the names created, renamed or removed in it survive a power loss. */
export async function syncFolder(folder: string): Promise<void> {
  const dir = await fs.open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Removes the temporary files written beside `file` (`<name>.….tmp`: a seal,
 * a transcode or a decrypted copy cut short by a power loss).
 */
export async function removeTempFiles(file: string): Promise<void> {
  const folder = path.dirname(file);
  const stem = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(stem) && name.endsWith('.tmp')) await fs.rm(path.join(folder, name), { force: true });
  }
}
