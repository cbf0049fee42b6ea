/**
 * Start-up recovery of the recordings a killed recorder left behind, from
 * their markers: a file still being written is closed, its WAV header fixed
 * to the audio actually on disk, and gets the stop mode 'power-loss'; a file
 * already closed keeps its entry. Both then take the remaining steps of a
 * finished recording (signature, sealing, sidecar, index). Safe to run again
 * if it is itself interrupted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bytesPerSample, parseWavHeader, wavHeader } from '../audio/wav.ts';
import type { RecordIndex } from './record-index.ts';
import type { RecordEntry } from './record-entry.ts';
import { OPEN_MARKER_DIR } from './recording-paths.ts';
import type { RecorderLogger } from './recorder.ts';
import type { FileFinisher } from './file-finisher.ts';
import { appendEntry } from './sidecar.ts';
import { NO_CUSTODY, recordCustody, type CustodyLedger } from './custody-hook.ts';
import { removeTempFiles } from './durable-files.ts';

export interface RecoveryResult {
  recovered: RecordEntry[];
  discarded: string[];
}

export async function recoverOpenRecordings(
  dataDir: string,
  index: RecordIndex,
  minFileS: number,
  finisher: FileFinisher,
  log: RecorderLogger,
  custody: CustodyLedger = NO_CUSTODY,
): Promise<RecoveryResult> {
  const dir = path.join(dataDir, OPEN_MARKER_DIR);
  const result: RecoveryResult = { recovered: [], discarded: [] };
  if (!fs.existsSync(dir)) return result;
  for (const name of fs.readdirSync(dir)) {
    const marker = path.join(dir, name);
    if (!name.endsWith('.json')) {
      fs.rmSync(marker, { force: true }); // an interrupted marker write
      continue;
    }
    let entry: RecordEntry;
    try {
      entry = JSON.parse(fs.readFileSync(marker, 'utf8')) as RecordEntry;
    } catch (e) {
      log.error({ marker, err: (e as Error).message }, 'unreadable recording marker removed');
      fs.rmSync(marker, { force: true });
      continue;
    }
    if (entry.file) await removeTempFiles(path.join(dataDir, entry.file));
    const finished = entry.stopMode !== null && entry.file !== null && fs.existsSync(path.join(dataDir, entry.file));
    const closed = finished ? entry : entry.file ? closeWav(path.join(dataDir, entry.file), entry, log) : null;
    if (!closed || (!finished && entry.part <= 1 && closed.durationMs < minFileS * 1000)) {
      if (entry.file) fs.rmSync(path.join(dataDir, entry.file), { force: true });
      result.discarded.push(entry.id);
    } else {
      const final = await finisher.finish(closed);
      await appendEntry(dataDir, final, await recordCustody(custody, { kind: 'recorded', entry: final }));
      await index.put(final);
      result.recovered.push(final);
      log.info({ id: final.id, durationMs: final.durationMs }, 'recording left open by a power loss recovered');
    }
    fs.rmSync(marker, { force: true });
  }
  return result;
}

function closeWav(file: string, entry: RecordEntry, log: RecorderLogger): RecordEntry | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch {
    return null;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, 512));
    fs.readSync(fd, head, 0, head.length, 0);
    const info = parseWavHeader(head, size);
    // Everything after the header is ours: the header may lag the audio by one flush.
    const bps = bytesPerSample(info.codec) * info.channels;
    const present = size - info.dataOffset;
    const dataBytes = present - (present % bps);
    fs.writeSync(fd, wavHeader(info.codec, info.sampleRate, dataBytes, info.channels), 0, undefined, 0);
    fs.ftruncateSync(fd, info.dataOffset + dataBytes);
    fs.fdatasyncSync(fd);
    return {
      ...entry,
      stopMode: 'power-loss',
      durationMs: Math.round((dataBytes / bps / info.sampleRate) * 1000),
      sizeBytes: info.dataOffset + dataBytes,
    };
  } catch (e) {
    log.error({ file, err: (e as Error).message }, 'recording file damaged beyond repair');
    return null;
  } finally {
    fs.closeSync(fd);
  }
}
