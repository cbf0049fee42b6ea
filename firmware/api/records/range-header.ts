/** The HTTP `Range` header of audio requests: a single `bytes=a-b` range, what browsers' audio players send. */
import { RecorderError } from '../../errors.ts';
import type { AudioRange } from '../../app/record-service.ts';

/** The range asked for; null when the header is absent; RANGE_NOT_SATISFIABLE (with the size) when unusable. */
export function parseRangeHeader(header: string, size: number): AudioRange | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const bad = () => new RecorderError('RANGE_NOT_SATISFIABLE', `the range ${header} is outside the recording's ${size} bytes`, { size });
  if (!m || (m[1] === '' && m[2] === '')) throw bad();
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) throw bad();
  return { start, end };
}
