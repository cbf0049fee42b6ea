/** The object-store settings file (`objectstore.json` in the configuration folder), read and written atomically. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { readJsonFile, writeFileAtomic } from '../settings/settings-file.ts';
import { DEFAULT_OBJECT_STORE_SETTINGS, objectStoreSettingsSchema, type ObjectStoreSettings } from './object-store-settings.ts';

export const OBJECT_STORE_FILE = 'objectstore.json';

export async function loadObjectStoreSettings(configDir: string): Promise<{ settings: ObjectStoreSettings; problem: string | null }> {
  const r = await readJsonFile(path.join(configDir, OBJECT_STORE_FILE), objectStoreSettingsSchema.partial());
  if (r.ok) return { settings: { ...DEFAULT_OBJECT_STORE_SETTINGS, ...r.value }, problem: null };
  return { settings: DEFAULT_OBJECT_STORE_SETTINGS, problem: r.missing ? null : r.reason };
}

export async function saveObjectStoreSettings(configDir: string, s: ObjectStoreSettings): Promise<void> {
  await fs.mkdir(configDir, { recursive: true });
  await writeFileAtomic(path.join(configDir, OBJECT_STORE_FILE), `${JSON.stringify(s, null, 2)}\n`);
}
