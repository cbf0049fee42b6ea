/** Where recordings live under the data directory: a dated tree per channel. */
import path from 'node:path';
import type { RecordFormat } from './record-entry.ts';
import { dayFolder, localDay } from './local-day.ts';

const two = (n: number) => String(n).padStart(2, '0');

/** Today's recordings (当日录音), written live as WAV. */
export const TODAY_DIR = 'recordings';
/** Archived recordings (历史录音), possibly transcoded. */
export const HISTORY_DIR = 'history';
export const OPEN_MARKER_DIR = 'open';
export const INDEX_DIR = 'index';
/** Per-folder metadata log from which a damaged index is rebuilt. */
export const SIDECAR_NAME = 'records.jsonl';

export function fileExtension(format: RecordFormat): string {
  return format === 'mp3' ? 'mp3' : 'wav';
}

/** The folder of a channel's recordings of one day, e.g. `recordings/2026/11/20/ch07`. */
export function recordingFolder(archived: boolean, day: number, channel: number): string {
  return path.join(archived ? HISTORY_DIR : TODAY_DIR, dayFolder(day), `ch${two(channel)}`);
}

/** `recordings/YYYY/MM/DD/chNN/<id>.wav` (or under `history/`), dated by the day the recording started. */
export function recordingFile(startedAt: number, channel: number, id: string, archived = false, format: RecordFormat = 'alaw'): string {
  return recordingFilePath(archived, localDay(startedAt), channel, id, format);
}

export function recordingFilePath(archived: boolean, day: number, channel: number, id: string, format: RecordFormat): string {
  return path.join(recordingFolder(archived, day, channel), `${id}.${fileExtension(format)}`);
}
