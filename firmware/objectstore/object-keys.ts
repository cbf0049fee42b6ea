/**
 * Where a recording goes in the bucket: by box serial, the local day it
 * started and its channel, as on the box's disk —
 * `<prefix><serial>/YYYY/MM/DD/<channel>/<id>.wav` — with its metadata beside
 * it as `<id>.json`, and the main fields as object metadata too.
 */
import path from 'node:path';
import type { RecordEntry } from '../recording/record-entry.ts';
import { fileExtension } from '../recording/recording-paths.ts';
import { dayFolder, localDay } from '../recording/local-day.ts';
import { refFolder, refKey } from '../ports/channel-ref.ts';

export function objectKeyOf(prefix: string, serial: string, e: RecordEntry): { key: string; sidecarKey: string } {
  const safeSerial = serial.replace(/[^A-Za-z0-9._-]/g, '_') || 'unknown';
  const folder = `${prefix}${safeSerial}/${dayFolder(localDay(e.startedAt))}/${refFolder(e)}`;
  const ext = e.file ? path.extname(e.file).slice(1) || fileExtension(e.codec ?? 'alaw') : 'wav';
  return { key: `${folder}/${e.id}.${ext}`, sidecarKey: `${folder}/${e.id}.json` };
}

/** Object metadata (x-amz-meta-*): ASCII only, so names and numbers are percent-encoded. */
export function objectMetadata(e: RecordEntry, serial: string, sha256: string): Record<string, string> {
  const enc = (s: string) => encodeURIComponent(s).slice(0, 256);
  return {
    sha256,
    'record-id': e.id,
    'record-sha256': e.sha256 ?? '',
    serial: enc(serial),
    channel: refKey(e),
    'started-at': new Date(e.startedAt).toISOString(),
    'duration-ms': String(e.durationMs),
    'call-type': e.callType,
    'line-number': enc(e.lineNumber),
    'remote-number': enc(e.remoteNumber),
    codec: e.codec ?? '',
    sealed: String(e.sealed),
  };
}

export function contentTypeOf(e: RecordEntry, sealed: boolean): string {
  if (sealed) return 'application/octet-stream';
  return e.codec === 'mp3' ? 'audio/mpeg' : 'audio/wav';
}

/** The sidecar: the index entry as the box keeps it, with where it came from. */
export function sidecarOf(e: RecordEntry, serial: string, sha256: string): Buffer {
  return Buffer.from(`${JSON.stringify({ serial, uploadedSha256: sha256, record: e }, null, 2)}\n`, 'utf8');
}
