/**
 * Rebuilds the recording index from the sidecars and the files, a day
 * folder at a time: the last line written for each recording wins, purged
 * ones are left out, and an entry whose file is gone is not indexed. Used when the index cannot be
 * opened or has been lost, and from the maintenance console.
 */
import fs from 'node:fs';
import path from 'node:path';
import { withEntryDefaults, type RecordEntry } from './record-entry.ts';
import { ClassicLevel } from 'classic-level';
import { LegacyIndexError, type RecordIndex } from './record-index.ts';
import { HISTORY_DIR, INDEX_DIR, SIDECAR_NAME, TODAY_DIR } from './recording-paths.ts';
import { readSidecar } from './sidecar.ts';

export interface RebuildReport {
  sidecars: number;
  entries: number;
  missingFiles: number;
}

export interface RebuildLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

function* sidecars(dir: string): Generator<string> {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of names) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) yield* sidecars(p);
    else if (d.name === SIDECAR_NAME) yield p;
  }
}

/**
 * The sidecars of both trees grouped by day folder (`YYYY/MM/DD` under
 * `recordings/` or `history/`), oldest day first: a recording's lines are all
 * in the folders of its day (an archived one moves to the history folder of
 * the same day), so a day at a time holds every line of its recordings.
 */
function sidecarsByDay(dataDir: string): string[][] {
  const days = new Map<string, string[]>();
  for (const top of [TODAY_DIR, HISTORY_DIR]) {
    const root = path.join(dataDir, top);
    for (const file of sidecars(root)) {
      const day = path.relative(root, file).split(path.sep).slice(0, 3).join('/');
      const files = days.get(day) ?? [];
      files.push(file);
      days.set(day, files);
    }
  }
  return [...days.keys()].sort().map((d) => days.get(d)!);
}

export async function rebuildIndex(dataDir: string, index: RecordIndex, log: RebuildLogger, progress: (what: string) => void = () => undefined): Promise<RebuildReport> {
  const report: RebuildReport = { sidecars: 0, entries: 0, missingFiles: 0 };
  let batch: RecordEntry[] = [];
  // A day at a time: the memory a rebuild needs is a day's recordings, whatever the disk holds.
  for (const files of sidecarsByDay(dataDir)) {
    const latest = new Map<string, { at: number; entry: RecordEntry | null }>();
    for (const file of files) {
      report.sidecars++;
      for (const line of readSidecar(file)) {
        const id = 'entry' in line ? line.entry.id : line.purged;
        const seen = latest.get(id);
        if (seen && seen.at > line.at) continue;
        // Lines written before VoIP and E1 lack their fields.
        latest.set(id, { at: line.at, entry: 'entry' in line ? withEntryDefaults(line.entry) : null });
      }
    }
    for (const { entry } of latest.values()) {
      if (!entry) continue;
      if (entry.file && !fs.existsSync(path.join(dataDir, entry.file))) {
        report.missingFiles++;
        continue;
      }
      batch.push(entry);
      if (batch.length >= 1000) {
        await index.putMany(batch);
        report.entries += batch.length;
        batch = [];
      }
    }
    progress(`index rebuild: ${report.sidecars} sidecars read, ${report.entries + batch.length} entries`);
  }
  await index.putMany(batch);
  report.entries += batch.length;
  log.info({ ...report }, 'recording index rebuilt from the sidecars');
  return report;
}

/**
 * Opens the index; when it cannot be opened it is set aside
 * (`index.damaged-<time>`) and rebuilt, and when it is new while recordings
 * exist, it is rebuilt too, telling `progress` how far it got.
 */
export async function openOrRebuildIndex(
  dataDir: string,
  make: (location: string) => RecordIndex,
  log: RebuildLogger,
  progress?: (what: string) => void,
): Promise<{ index: RecordIndex; rebuilt: RebuildReport | null }> {
  const location = path.join(dataDir, INDEX_DIR);
  let index = make(location);
  try {
    const created = await index.open();
    if (!created) return { index, rebuilt: null };
  } catch (e) {
    const legacy = e instanceof LegacyIndexError;
    if (legacy) log.warn({}, 'recording index in the first release\'s format; converting it');
    else log.error({ err: (e as Error).message }, 'recording index damaged; rebuilding it from the sidecars');
    await index.close().catch(() => undefined);
    const aside = `${location}.${legacy ? 'v1' : 'damaged'}-${Date.now()}`;
    fs.renameSync(location, aside);
    index = make(location);
    await index.open();
    if (legacy) await convertLegacy(aside, index);
  }
  const hasRecordings = [TODAY_DIR, HISTORY_DIR].some((d) => !sidecars(path.join(dataDir, d)).next().done);
  return { index, rebuilt: hasRecordings ? await rebuildIndex(dataDir, index, log, progress) : null };
}

/** Copies the entries of a first-release index (JSON under `r!<id>`) into the current one. */
async function convertLegacy(location: string, index: RecordIndex): Promise<void> {
  const old = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8' });
  await old.open();
  try {
    let batch: RecordEntry[] = [];
    for await (const value of old.values({ gte: 'r!', lt: 'r"' })) {
      const e = JSON.parse(value) as RecordEntry;
      batch.push(withEntryDefaults({ ...e, archived: false, sealed: false, sha256: null, deleted: false }));
      if (batch.length >= 1000) {
        await index.putMany(batch);
        batch = [];
      }
    }
    await index.putMany(batch);
  } finally {
    await old.close();
  }
}
