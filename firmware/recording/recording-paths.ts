/** Where recordings live under the data directory: a dated tree per channel. */
import path from 'node:path';

const two = (n: number) => String(n).padStart(2, '0');

/** `recordings/YYYY/MM/DD/chNN/<id>.wav`, dated in the box's local time. */
export function recordingFile(startedAt: number, channel: number, id: string): string {
  const d = new Date(startedAt);
  return path.join('recordings', String(d.getFullYear()), two(d.getMonth() + 1), two(d.getDate()), `ch${two(channel)}`, `${id}.wav`);
}

export const OPEN_MARKER_DIR = 'open';
export const INDEX_DIR = 'index';
