/**
 * Where a recording goes on a NAS target: by box, date and channel, like the
 * box's own tree — `<serial>/YYYY/MM/DD/ch07/<id>.wav` with `<id>.json`
 * (its index entry, as metadata) next to it. Uploads land under `.part`
 * names and are moved into place once checked, so a file under its final
 * name is always whole.
 */
import path from 'node:path';
import { refFolder } from '../ports/channel-ref.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import { folderDayOf } from '../recording/record-index.ts';
import { dayFolder } from '../recording/local-day.ts';

export const PART_SUFFIX = '.part';

export function remoteFolder(serial: string, e: RecordEntry): string {
  return [serial, dayFolder(folderDayOf(e)).split(path.sep).join('/'), refFolder(e)].join('/');
}

export function remoteFile(serial: string, e: RecordEntry): string {
  return `${remoteFolder(serial, e)}/${path.basename(e.file ?? `${e.id}.wav`)}`;
}

export function remoteMetadataFile(serial: string, e: RecordEntry): string {
  return `${remoteFolder(serial, e)}/${e.id}.json`;
}

/** The metadata file next to a recording: its index entry, the box and the SHA-256 of the bytes copied. */
export function metadataOf(serial: string, e: RecordEntry, fileSha256: string): string {
  return `${JSON.stringify({ box: serial, fileSha256, record: e }, null, 2)}\n`;
}
