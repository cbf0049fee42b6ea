/**
 * Loading the settings at start-up: `settings.json`; if it is missing or
 * damaged, the last good copy (reported as damaged, to raise an alarm; the
 * damaged file is set aside and replaced by the good copy); if both are,
 * factory values (reported). A box with neither file but the first release's
 * `recorder.json` gets its settings migrated.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { migrateLegacy } from './migrate.ts';
import { LAST_GOOD_FILE, readSettingsFile, saveSettings, setAside, SETTINGS_FILE, sweepTemporaries } from './settings-file.ts';
import { defaultSettings, type Settings } from './settings-schema.ts';

export type SettingsSource = 'file' | 'last-good' | 'migrated' | 'defaults';

export interface SettingsLoadReport {
  /** Where the settings in force came from. */
  source: SettingsSource;
  /** A settings file was damaged or unreadable: raise the SETTINGS_DAMAGED alarm. */
  damaged: boolean;
  /** What went wrong, one line each, naming the file. */
  problems: string[];
}

export interface LoadedSettings {
  settings: Settings;
  /** The saved text of these settings; null when none is saved (factory settings never changed). */
  text: string | null;
  report: SettingsLoadReport;
}

export async function loadSettings(dir: string, legacyFile: string): Promise<LoadedSettings> {
  await sweepTemporaries(dir).catch(() => undefined);
  const mainFile = path.join(dir, SETTINGS_FILE);
  const main = await readSettingsFile(mainFile);
  if (main.ok) return { settings: main.settings, text: main.text, report: { source: 'file', damaged: false, problems: [] } };
  const backupFile = path.join(dir, LAST_GOOD_FILE);
  const backup = await readSettingsFile(backupFile);
  if (main.missing && !backup.ok && backup.missing) return fromLegacy(dir, legacyFile);

  const problems = [`${mainFile}: ${main.reason}`];
  if (!main.missing) await setAside(mainFile).catch((e: Error) => problems.push(`${mainFile}: could not be set aside (${e.message})`));
  let settings: Settings;
  let source: SettingsSource;
  if (backup.ok) {
    settings = backup.settings;
    source = 'last-good';
  } else {
    problems.push(`${backupFile}: ${backup.reason}`);
    settings = defaultSettings();
    source = 'defaults';
  }
  // The settings in force are saved again, so the next start finds them.
  const text = await saveSettings(dir, settings, null).catch((e: Error) => {
    problems.push(`${mainFile}: could not be written (${e.message})`);
    return null;
  });
  return { settings, text, report: { source, damaged: true, problems } };
}

async function fromLegacy(dir: string, legacyFile: string): Promise<LoadedSettings> {
  let raw: string;
  try {
    raw = await fs.readFile(legacyFile, 'utf8');
  } catch {
    return { settings: defaultSettings(), text: null, report: { source: 'defaults', damaged: false, problems: [] } };
  }
  let migrated: ReturnType<typeof migrateLegacy>;
  try {
    migrated = migrateLegacy(JSON.parse(raw));
  } catch (e) {
    migrated = { ok: false, reason: `not JSON (${(e as Error).message})` };
  }
  if (!migrated.ok) {
    const problems = [`${legacyFile}: ${migrated.reason}; factory settings are in use`];
    return { settings: defaultSettings(), text: null, report: { source: 'defaults', damaged: true, problems } };
  }
  const problems: string[] = [];
  const text = await saveSettings(dir, migrated.settings, null).catch((e: Error) => {
    problems.push(`${path.join(dir, SETTINGS_FILE)}: could not be written (${e.message})`);
    return null;
  });
  return { settings: migrated.settings, text, report: { source: 'migrated', damaged: false, problems } };
}
