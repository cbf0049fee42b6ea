/** Where recordings live under the data directory: a dated tree per channel (port-qualified). */
import type { RecordFormat } from './record-entry.ts';
import { dayFolder, localDay } from './local-day.ts';
import { refFolder, type ChannelRef } from '../ports/channel-ref.ts';

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

/**
 * The folder of a channel's recordings of one day, e.g. `recordings/2026/11/20/ch07`
 * (analog line 7), `…/e1-1-ts16`, `…/voip-0-8001`: ports never share a folder.
 */
export function recordingFolder(archived: boolean, day: number, ref: ChannelRef): string {
  return `${archived ? HISTORY_DIR : TODAY_DIR}/${dayFolder(day)}/${refFolder(ref)}`;
}

/** `recordings/YYYY/MM/DD/chNN/<id>.wav` (or under `history/`), dated by the day the recording started. */
export function recordingFile(startedAt: number, ref: ChannelRef, id: string, archived = false, format: RecordFormat = 'alaw'): string {
  return recordingFilePath(archived, localDay(startedAt), ref, id, format);
}

export function recordingFilePath(archived: boolean, day: number, ref: ChannelRef, id: string, format: RecordFormat): string {
  return `${recordingFolder(archived, day, ref)}/${id}.${fileExtension(format)}`;
}
