/**
 * Access to the reference DSP recordings in ../shared/dsp-vectors next to the
 * project (8 kHz, 16-bit mono WAV files, each with a JSON sidecar stating the
 * expected decode, plus the scorer and spandsp's baseline). Tests that use
 * them fail, with the path, when the directory is not there.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');
export const VECTOR_DIR = resolve(PROJECT_ROOT, '..', 'shared', 'dsp-vectors');

/** Throws a clear error when the vectors are missing. */
export function requireVectors(): void {
  if (!existsSync(join(VECTOR_DIR, 'index.json'))) {
    throw new Error(`DSP test vectors not found: ${VECTOR_DIR}/index.json is missing (they belong next to the project, in ../shared/dsp-vectors)`);
  }
}

export function vectorNames(prefix: string): string[] {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.wav'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** Reads the PCM samples of a 16-bit mono WAV file. */
export function readWav16(path: string): Int16Array {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw new Error(`${path}: not a WAV file`);
  }
  let at = 12;
  while (at + 8 <= buf.length) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === 'data') {
      const bytes = buf.subarray(at + 8, at + 8 + size);
      const out = new Int16Array(bytes.length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(2 * i);
      return out;
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(`${path}: no data chunk`);
}

export interface DtmfEvent {
  type: 'dtmf';
  digit: string;
  start_s: number;
  end_s: number;
  expect: 'detect' | 'reject' | 'characterize';
  note?: string;
}

export interface CallerIdEvent {
  type: 'callerid';
  start_s: number;
  end_s: number;
  expect: 'decode' | 'reject' | 'characterize';
  standard: string;
  bytes_hex?: string;
  dtmf_string?: string;
  fields: Record<string, string | null>;
}

export interface Sidecar {
  description: string;
  events: Array<DtmfEvent | CallerIdEvent | { type: string; start_s: number; end_s: number }>;
}

export function loadVector(name: string): { pcm: Int16Array; sidecar: Sidecar } {
  return {
    pcm: readWav16(join(VECTOR_DIR, `${name}.wav`)),
    sidecar: JSON.parse(readFileSync(join(VECTOR_DIR, `${name}.json`), 'utf8')) as Sidecar,
  };
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
