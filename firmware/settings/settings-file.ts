/**
 * The settings files in the configuration folder:
 * - `settings.json`, the settings in force;
 * - `settings.last-good.json`, the copy they replaced, used when
 *   `settings.json` is missing or damaged;
 * - `settings.json.damaged`, a damaged file set aside for inspection.
 *
 * Every write is atomic: a temporary file beside the target is written and
 * synced, renamed over the target, and the folder synced. A save first makes
 * the file in force the last good copy, then replaces it, so at any moment of
 * a power loss `settings.json` is either the old or the new settings and the
 * last good copy is a good one. Temporaries a power loss left are removed
 * when the settings are loaded.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { describeZodError } from '../schema-error.ts';
import { removeTempFiles, syncFolder } from '../recording/durable-files.ts';
import { settingsSchema, type Settings } from './settings-schema.ts';

export const SETTINGS_FILE = 'settings.json';
export const LAST_GOOD_FILE = 'settings.last-good.json';
export const DAMAGED_SUFFIX = '.damaged';

export type ReadResult = { ok: true; settings: Settings; text: string } | { ok: false; missing: boolean; reason: string };
export type JsonFileResult<T> = { ok: true; value: T; text: string } | { ok: false; missing: boolean; reason: string };

/** Reads a JSON file and validates it with `schema`: missing, unreadable, not JSON or invalid are reasons, never exceptions. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<JsonFileResult<T>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, reason: missing ? 'missing' : (e as Error).message };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, missing: false, reason: `not JSON (${(e as Error).message})` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, missing: false, reason: describeZodError(parsed.error) };
  return { ok: true, value: parsed.data, text };
}

/** Reads and validates one settings file. */
export async function readSettingsFile(file: string): Promise<ReadResult> {
  const r = await readJsonFile(file, settingsSchema);
  return r.ok ? { ok: true, settings: r.value, text: r.text } : r;
}

export function serialise(settings: Settings): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}

/** Writes `text` to `file` atomically and durably. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncFolder(path.dirname(file));
}

/** Saves new settings; `inForce` is the text of the settings they replace (null when none was saved yet). */
export async function saveSettings(dir: string, next: Settings, inForce: string | null): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  if (inForce !== null) await writeFileAtomic(path.join(dir, LAST_GOOD_FILE), inForce);
  const text = serialise(next);
  await writeFileAtomic(path.join(dir, SETTINGS_FILE), text);
  return text;
}

/** Removes the temporaries an interrupted save left. */
export async function sweepTemporaries(dir: string): Promise<void> {
  await removeTempFiles(path.join(dir, SETTINGS_FILE));
  await removeTempFiles(path.join(dir, LAST_GOOD_FILE));
}

/** Keeps a damaged settings file aside (replacing an older one) for whoever looks into it. */
export async function setAside(file: string): Promise<void> {
  await fs.rename(file, file + DAMAGED_SUFFIX);
}
