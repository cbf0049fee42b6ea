/**
 * Archive (归档): today's finished recordings move to history, transcoded to
 * the configured format, daily at the archive time and on demand. Live
 * recording is not disturbed: only finished files are touched, transcoding
 * runs in lame, a worker or in slices, and files are handled one at a time.
 *
 * Per recording, in an order a power loss cannot break:
 *   1. the source (decrypted to a temporary file when sealed) is transcoded
 *      to `<history file>.tmp` and synced;
 *   2. its duration is checked against the source's;
 *   3. it is signed (and sealed), renamed into place, the folder synced;
 *   4. a sidecar line in the history folder, then the index entry (archived);
 *   5. the source goes.
 * A journal (`archive.json`) marks a run in progress; an interrupted run is
 * resumed at the next start, and a run ends by removing today's files the
 * index no longer points to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { transcodeFile } from '../audio/transcode.ts';
import { durationMatches, probeDuration } from '../audio/probe-duration.ts';
import { parseRecordId, type RecordEntry, type RecordFormat } from './record-entry.ts';
import type { RecordIndex } from './record-index.ts';
import { folderDayOf } from './record-index.ts';
import { OPEN_MARKER_DIR, recordingFilePath, SIDECAR_NAME, TODAY_DIR } from './recording-paths.ts';
import { appendEntry } from './sidecar.ts';
import { NO_CUSTODY, recordCustody, type CustodyLedger } from './custody-hook.ts';
import { signatureOf } from './file-signature.ts';
import { isSealedFile, sealFile, unsealFile } from './sealed-file.ts';
import { removeTempFiles, syncFolder } from './durable-files.ts';

export interface ArchiveSettings {
  format: RecordFormat;
  mp3Kbps: number;
  mp3Encoder?: 'auto' | 'lame' | 'js';
}

export interface ArchiveLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ArchiveReport {
  archived: number;
  failed: number;
  orphansRemoved: number;
  bytesBefore: number;
  bytesAfter: number;
}

export const ARCHIVE_JOURNAL = 'archive.json';
const BATCH = 64;

export class Archiver {
  private running: Promise<ArchiveReport> | null = null;
  /** Told of each recording moved to history (the object-store archive queues it). */
  onArchived: ((entry: RecordEntry) => void) | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly index: RecordIndex,
    private readonly key: () => Buffer | null,
    private readonly settings: () => ArchiveSettings,
    private readonly log: ArchiveLogger,
    /** Signs a statement of each transcoded file, naming the original's signature. */
    private readonly custody: CustodyLedger = NO_CUSTODY,
  ) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /** Whether a run was interrupted (the journal is still there). */
  interrupted(): boolean {
    return fs.existsSync(path.join(this.dataDir, ARCHIVE_JOURNAL));
  }

  /** Archives every finished recording not archived yet; a run already going is joined. */
  run(): Promise<ArchiveReport> {
    this.running ??= this.archiveAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async archiveAll(): Promise<ArchiveReport> {
    const journal = path.join(this.dataDir, ARCHIVE_JOURNAL);
    fs.writeFileSync(journal, JSON.stringify({ startedAt: Date.now(), ...this.settings() }));
    const report: ArchiveReport = { archived: 0, failed: 0, orphansRemoved: 0, bytesBefore: 0, bytesAfter: 0 };
    const failed = new Set<string>();
    for (;;) {
      const ids = (await this.index.notArchived(BATCH + failed.size)).filter((id) => !failed.has(id));
      if (!ids.length) break;
      for (const id of ids.slice(0, BATCH)) {
        const e = await this.index.get(id);
        if (!e || e.archived || e.deleted) continue;
        try {
          const done = await this.archiveOne(e);
          report.archived++;
          this.onArchived?.(done);
          report.bytesBefore += e.sizeBytes;
          report.bytesAfter += done.sizeBytes;
        } catch (err) {
          failed.add(id);
          report.failed++;
          this.log.error({ id, err: (err as Error).message }, 'recording not archived; it stays in today\'s recordings');
        }
      }
    }
    report.orphansRemoved = await this.removeOrphans();
    fs.rmSync(journal, { force: true });
    this.log.info({ ...report }, 'archive finished');
    return report;
  }

  /** Moves one recording to history. */
  async archiveOne(e: RecordEntry): Promise<RecordEntry> {
    if (!e.file) {
      const done: RecordEntry = { ...e, archived: true };
      await appendEntry(this.dataDir, done);
      await this.index.put(done);
      return done;
    }
    const settings = this.settings();
    // A two-party stereo file keeps its codec: the archive formats are mono.
    const format: RecordFormat = e.stereo && e.codec ? e.codec : settings.format;
    const { mp3Kbps, mp3Encoder } = settings;
    const src = path.join(this.dataDir, e.file);
    const rel = recordingFilePath(true, folderDayOf(e), e, e.id, format);
    const dst = path.join(this.dataDir, rel);
    const tmp = `${dst}.tmp`;
    const plain = `${dst}.src.tmp`;
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    await removeTempFiles(dst); // left by a run cut short
    const key = this.key();
    let sizeBytes: number;
    let sha256: string;
    let sealed = false;
    try {
      if (!fs.existsSync(src)) throw new Error(`the file ${e.file} is missing`);
      let input = src;
      if (await isSealedFile(src)) {
        if (!key) throw new Error('the recording is sealed and no key is configured');
        await unsealFile(src, plain, key);
        input = plain;
      }
      const before = await probeDuration(input);
      if (e.stereo) await fs.promises.copyFile(input, tmp);
      else await transcodeFile(input, tmp, format, { mp3Kbps, mp3Encoder });
      const after = await probeDuration(tmp);
      if (!durationMatches(before, after, format)) {
        throw new Error(`transcoded duration ${after} ms does not match the original ${before} ms`);
      }
      sizeBytes = (await fs.promises.stat(tmp)).size;
      if (key) {
        sha256 = (await sealFile(tmp, tmp, key)).sha256;
        sealed = true;
      } else sha256 = await signatureOf(tmp, null);
      await fs.promises.rename(tmp, dst);
      await syncFolder(path.dirname(dst));
    } finally {
      fs.rmSync(plain, { force: true });
      fs.rmSync(tmp, { force: true });
    }
    const done: RecordEntry = { ...e, archived: true, file: rel, codec: format, sizeBytes, sha256, sealed };
    await appendEntry(this.dataDir, done, await recordCustody(this.custody, { kind: 'transcoded', entry: done, source: e }));
    await this.index.put(done);
    await fs.promises.rm(src, { force: true });
    return done;
  }

  /**
   * Today's files the index no longer points to: sources already archived,
   * and temporary files. Files of recordings still open (a marker) stay.
   */
  private async removeOrphans(): Promise<number> {
    const today = path.join(this.dataDir, TODAY_DIR);
    // Checked file by file: a recording may start while the walk goes on.
    const isOpen = (id: string) => fs.existsSync(path.join(this.dataDir, OPEN_MARKER_DIR, `${id}.json`));
    let removed = 0;
    const walk = async (dir: string): Promise<boolean> => {
      let names: fs.Dirent[];
      try {
        names = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return true;
      }
      let kept = 0;
      for (const d of names) {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) {
          if (await walk(p)) continue;
          kept++;
          continue;
        }
        if (d.name === SIDECAR_NAME) continue;
        const id = d.name.replace(/\.(wav|mp3)$/, '');
        const e = parseRecordId(id) ? await this.index.get(id) : null;
        const live = isOpen(id) || (e !== null && !e.archived && e.file !== null && path.join(this.dataDir, e.file) === p);
        if (live) {
          kept++;
          continue;
        }
        fs.rmSync(p, { force: true });
        removed++;
      }
      // A folder left with only its sidecar has been archived whole.
      if (kept === 0 && dir !== today) {
        fs.rmSync(dir, { recursive: true, force: true });
        return true;
      }
      return false;
    };
    await walk(today);
    return removed;
  }
}
